using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// The SQL usernames CockroachDB accepts for one token, computed by
/// <see cref="CockroachJwtIdentity.ResolveAcceptedUsernames"/>. Failure texts are the server's own
/// (<c>JWT authentication: &lt;reason&gt;</c> with its DETAIL).
/// </summary>
public sealed class JwtIdentityResolution
{
    internal JwtIdentityResolution(string issuer, string claim, IReadOnlyList<string> principals, IReadOnlyList<string> acceptedUsernames, bool issuerHasMap, string? failureReason, string? failureDetail)
    {
        Issuer = issuer;
        Claim = claim;
        Principals = principals;
        AcceptedUsernames = acceptedUsernames;
        IssuerHasMap = issuerHasMap;
        FailureReason = failureReason;
        FailureDetail = failureDetail;
    }

    /// <summary>Gets the token's issuer (empty when the token has none): the identity-map name.</summary>
    public string Issuer { get; }

    /// <summary>Gets the claim the principals were read from.</summary>
    public string Claim { get; }

    /// <summary>Gets the principals read from the claim (raw, not normalised); empty when the claim is missing.</summary>
    public IReadOnlyList<string> Principals { get; }

    /// <summary>Gets the normalised usernames the cluster accepts for this token, de-duplicated, in order.</summary>
    public IReadOnlyList<string> AcceptedUsernames { get; }

    /// <summary>Gets a value indicating whether the identity map has rules for the issuer (then raw principals are not accepted).</summary>
    public bool IssuerHasMap { get; }

    /// <summary>Gets the server's reason when no username is accepted (<c>missing claim</c> or <c>invalid principal</c>), else <see langword="null"/>.</summary>
    public string? FailureReason { get; }

    /// <summary>Gets the server's DETAIL text for <see cref="FailureReason"/>, else <see langword="null"/>.</summary>
    public string? FailureDetail { get; }

    /// <summary>Gets a value indicating whether at least one username is accepted.</summary>
    public bool Succeeded => FailureReason is null;

    /// <summary>
    /// Applies the requested-user steps (8–9): the normalised user must be one of <see cref="AcceptedUsernames"/>
    /// (an empty user is resolved when exactly one name is accepted) and must not be reserved.
    /// </summary>
    /// <param name="requestedUser">The SQL username of the connection; <see langword="null"/> or empty to let the token decide.</param>
    /// <param name="resolvedUser">The normalised username the login would use.</param>
    /// <param name="failureReason">The server's reason (<c>missing claim</c>, <c>invalid principal</c>, <c>invalid identity</c>), when rejected.</param>
    /// <param name="failureDetail">The server's DETAIL, when rejected.</param>
    /// <returns><see langword="true"/> when the cluster's identity checks would pass.</returns>
    public bool CheckUsername(string? requestedUser, out string resolvedUser, out string? failureReason, out string? failureDetail)
    {
        resolvedUser = CockroachJwtIdentity.NormalizeUsername(requestedUser ?? string.Empty);
        if (!Succeeded)
        {
            failureReason = FailureReason;
            failureDetail = FailureDetail;
            return false;
        }

        if (resolvedUser.Length == 0 && AcceptedUsernames.Count == 1)
        {
            resolvedUser = AcceptedUsernames[0];
        }
        else if (!AcceptedUsernames.Contains(resolvedUser, StringComparer.Ordinal))
        {
            failureReason = "invalid principal";
            failureDetail = $"token issued for {GoText.List(Principals)} and login was for {resolvedUser}";
            return false;
        }

        if (CockroachJwtIdentity.IsReservedUsername(resolvedUser))
        {
            failureReason = "invalid identity";
            failureDetail = $"cannot use JWT auth to login to a reserved user {resolvedUser}";
            return false;
        }

        failureReason = null;
        failureDetail = null;
        return true;
    }
}
