namespace Npgsql.JwtSso.Testing;

/// <summary>
/// Deliberate defects for <see cref="JwtMintOptions.Defects"/>, to mint tokens a verifier must reject. Combine with <c>|</c>.
/// </summary>
[Flags]
public enum JwtDefects
{
    /// <summary>A well-formed, correctly signed token.</summary>
    None = 0,

    /// <summary>The header has no <c>kid</c>.</summary>
    MissingKeyId = 1 << 0,

    /// <summary>Signed by a fresh key that is not in the JWKS, but with the chosen key's <c>kid</c> (a forged signature).</summary>
    UnregisteredKey = 1 << 1,

    /// <summary><c>exp</c> lies 1 hour in the past, beyond any usual clock skew (and <c>iat</c> one lifetime before that).</summary>
    Expired = 1 << 2,

    /// <summary><c>iat</c> lies 1 hour in the future (and <c>exp</c> one lifetime after that).</summary>
    IssuedInFuture = 1 << 3,

    /// <summary>The payload has no <c>exp</c>.</summary>
    MissingExpiry = 1 << 4,

    /// <summary><c>aud</c> is <see cref="JwtMintOptions.WrongAudienceValue"/> instead of the requested audience.</summary>
    WrongAudience = 1 << 5,

    /// <summary><c>iss</c> is <see cref="JwtMintOptions.WrongIssuerValue"/> instead of the issuer.</summary>
    WrongIssuer = 1 << 6,

    /// <summary>The header's <c>alg</c> names the other family (<c>ES256</c> on an RSA signature, <c>RS256</c> on an EC one).</summary>
    AlgorithmMismatch = 1 << 7,

    /// <summary>An unsecured JWS: header <c>alg</c> is <c>none</c> and the signature part is empty.</summary>
    AlgorithmNone = 1 << 8,

    /// <summary><c>nbf</c> lies 1 hour in the future.</summary>
    NotYetValid = 1 << 9,
}
