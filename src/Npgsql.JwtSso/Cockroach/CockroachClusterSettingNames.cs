namespace Npgsql.JwtSso;

/// <summary>The names of the CockroachDB cluster settings a JWT login depends on (crdb-jwt-server.md §2).</summary>
public static class CockroachClusterSettingNames
{
    /// <summary><c>server.jwt_authentication.enabled</c>: JWT logins are refused with <c>JWT authentication: not enabled</c> while it is false.</summary>
    public const string Enabled = "server.jwt_authentication.enabled";

    /// <summary><c>server.jwt_authentication.issuers.configuration</c> (alias <c>server.jwt_authentication.issuers</c>): see <see cref="CockroachIssuersSetting"/>.</summary>
    public const string Issuers = "server.jwt_authentication.issuers.configuration";

    /// <summary><c>server.jwt_authentication.audience</c>: see <see cref="CockroachAudienceSetting"/>.</summary>
    public const string Audience = "server.jwt_authentication.audience";

    /// <summary><c>server.jwt_authentication.claim</c>: the claim holding the principal (<c>sub</c> when empty).</summary>
    public const string Claim = "server.jwt_authentication.claim";

    /// <summary><c>server.jwt_authentication.jwks</c>: the static key set (see <see cref="CockroachJsonWebKeySet"/>), ignored while auto-fetch is on.</summary>
    public const string Jwks = "server.jwt_authentication.jwks";

    /// <summary><c>server.jwt_authentication.jwks_auto_fetch.enabled</c>: fetch each issuer's keys at login (see <see cref="CockroachJwksFetcher"/>).</summary>
    public const string JwksAutoFetch = "server.jwt_authentication.jwks_auto_fetch.enabled";

    /// <summary><c>server.identity_map.configuration</c>: see <see cref="IdentityMap"/>.</summary>
    public const string IdentityMap = "server.identity_map.configuration";
}
