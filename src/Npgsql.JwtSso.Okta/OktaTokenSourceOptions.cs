using Npgsql.JwtSso.OAuth;

namespace Npgsql.JwtSso.Okta;

/// <summary>
/// Options of <see cref="OktaTokenSource"/>: an Okta service app (API Services) getting access tokens from a
/// <em>custom</em> authorization server with the client-credentials grant. Everything but the server's address is a
/// setting of the generic grant (<see cref="ClientCredentialsTokenSourceOptions"/>), under the same name.
/// </summary>
/// <remarks>
/// Give either <see cref="Domain"/> and <see cref="AuthorizationServerId"/>, or <see cref="ClientCredentialsTokenSourceOptions.Issuer"/>
/// (<c>https://{domain}/oauth2/{authorizationServerId}</c>, the <c>iss</c> of the tokens and what the cluster's
/// <c>server.jwt_authentication.issuers</c> must list). The token endpoint is <c>{Issuer}/v1/token</c> unless
/// <see cref="ClientCredentialsTokenSourceOptions.TokenEndpoint"/> says otherwise. The org authorization server
/// (<c>https://{domain}/oauth2/v1/token</c>) is refused: it does not issue client-credentials tokens with custom scopes.
/// <see cref="ClientCredentialsTokenSourceOptions.ClientId"/> is the app's client id (<c>0oa…</c>), which becomes the
/// token's <c>sub</c>; <see cref="ClientCredentialsTokenSourceOptions.AuthenticationMethod"/> must match the app's
/// "Client authentication" setting (Okta's default is client_secret_basic; private_key_jwt is recommended); at least one
/// custom scope is required.
/// </remarks>
public sealed class OktaTokenSourceOptions : ClientCredentialsTokenSourceOptions
{
    /// <summary>Gets or sets the Okta domain, for example <c>dev-123456.okta.com</c> or <c>login.example.com</c> (a custom domain).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Domain { get; set; }

    /// <summary>Gets or sets the id of the custom authorization server, for example <c>default</c> or <c>aus1a2b3c4d5e6f7g8h9</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? AuthorizationServerId { get; set; }
}
