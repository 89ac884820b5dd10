namespace Npgsql.JwtSso.Testing;

/// <content>The Okta-shaped endpoints (<see cref="LocalJwtIssuer.Okta"/>).</content>
public static partial class IssuerEndpointNames
{
    /// <summary><c>POST /oauth2/{authorizationServerId}/v1/token</c> (and the org server's <c>/oauth2/v1/token</c>): Okta's token endpoint.</summary>
    public const string OktaToken = "okta-token";

    /// <summary><c>GET /oauth2/{authorizationServerId}/.well-known/oauth-authorization-server</c> and <c>…/openid-configuration</c>.</summary>
    public const string OktaDiscovery = "okta-discovery";

    /// <summary><c>GET /oauth2/{authorizationServerId}/v1/keys</c>: the custom authorization server's JWKS.</summary>
    public const string OktaKeys = "okta-keys";
}
