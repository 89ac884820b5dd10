namespace Npgsql.JwtSso;

/// <summary>
/// What a login error means for the next attempt, as classified by <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/>.
/// Only <see cref="Expired"/>, <see cref="SigningKey"/> and <see cref="Unexplained"/> can be fixed by a fresh token, and
/// <see cref="NotYetValid"/> by re-sending the same token a moment later; everything else fails the same way until
/// someone changes a setting.
/// </summary>
public enum JwtRejectionKind
{
    /// <summary>Not a login rejection this library knows (for example a network error or "too many connections").</summary>
    None,

    /// <summary>
    /// The cluster or the token's claims are configured so that no token from this source can log in (<c>not enabled</c>,
    /// <c>invalid issuer</c>, <c>invalid audience</c>, <c>invalid principal</c>, <c>invalid identity</c>, <c>missing claim</c>,
    /// a malformed token, an unknown or NOLOGIN user, …). Fail at once with the hint; fetching again cannot help.
    /// </summary>
    Configuration,

    /// <summary>The cluster found the token expired (<c>"exp" not satisfied</c>): a fresh token can help.</summary>
    Expired,

    /// <summary>
    /// The token's <c>iat</c> or <c>nbf</c> lies in the cluster's future (the cluster allows no clock skew): the same token
    /// is accepted once that moment has passed, while fetching again would only give another token from the same clock.
    /// </summary>
    NotYetValid,

    /// <summary>
    /// The cluster has no key with the token's <c>kid</c>, or the signature did not verify: after a key rotation a token
    /// signed with the current key can help.
    /// </summary>
    SigningKey,

    /// <summary>
    /// <c>JWT authentication: invalid token</c> without a DETAIL (Npgsql hides it unless <c>Include Error Detail=true</c>):
    /// the reason may be expiry or a rotated key, so one fresh token is worth a try.
    /// </summary>
    Unexplained,
}
