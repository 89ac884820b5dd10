namespace Npgsql.JwtSso.Testing;

/// <summary>
/// Names of the issuer's endpoints, for <see cref="LocalJwtIssuer.Faults"/> and <see cref="LocalJwtIssuer.RequestCount(string)"/>.
/// Vendor-shaped endpoints add their names in their own part of this class.
/// </summary>
public static partial class IssuerEndpointNames
{
    /// <summary><c>GET /.well-known/openid-configuration</c>.</summary>
    public const string Discovery = "discovery";

    /// <summary><c>GET /.well-known/jwks.json</c> and <c>GET /jwks</c>.</summary>
    public const string Jwks = "jwks";

    /// <summary><c>POST /token</c>: the plain JSON token endpoint (<c>{"access_token": …, "expires_in": …}</c>).</summary>
    public const string Token = "token";
}
