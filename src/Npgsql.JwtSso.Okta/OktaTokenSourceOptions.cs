using System.Security.Cryptography.X509Certificates;

namespace Npgsql.JwtSso.Okta;

/// <summary>
/// Options of <see cref="OktaTokenSource"/>: an Okta service app (API Services) getting access tokens from a
/// <em>custom</em> authorization server with the client-credentials grant.
/// </summary>
/// <remarks>
/// Give either <see cref="Domain"/> and <see cref="AuthorizationServerId"/>, or <see cref="Issuer"/>. The org authorization
/// server (<c>https://{domain}/oauth2/v1/token</c>) is refused: it does not issue client-credentials tokens with custom scopes.
/// </remarks>
public sealed class OktaTokenSourceOptions
{
    /// <summary>Gets or sets the Okta domain, for example <c>dev-123456.okta.com</c> or <c>login.example.com</c> (a custom domain).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Domain { get; set; }

    /// <summary>Gets or sets the id of the custom authorization server, for example <c>default</c> or <c>aus1a2b3c4d5e6f7g8h9</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? AuthorizationServerId { get; set; }

    /// <summary>
    /// Gets or sets the custom authorization server's issuer URL, <c>https://{domain}/oauth2/{authorizationServerId}</c>,
    /// instead of <see cref="Domain"/> and <see cref="AuthorizationServerId"/>. It must equal the <c>iss</c> of the tokens,
    /// which is also what the cluster's <c>server.jwt_authentication.issuers</c> must list.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? Issuer { get; set; }

    /// <summary>Gets or sets the client id of the API Services app (<c>0oa…</c>); it becomes the token's <c>sub</c>.</summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret, for <see cref="ClientAuthenticationMethod.ClientSecretBasic"/> and <see cref="ClientAuthenticationMethod.ClientSecretPost"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets how the app authenticates; it must match the app's "Client authentication" setting in Okta.</summary>
    /// <value>The default value is <see cref="ClientAuthenticationMethod.ClientSecretBasic"/> (Okta's default); <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> is recommended.</value>
    public ClientAuthenticationMethod AuthenticationMethod { get; set; } = ClientAuthenticationMethod.ClientSecretBasic;

    /// <summary>Gets the custom scopes to request; at least one is required (for example <c>crdb.login</c>).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Scopes { get; } = [];

    /// <summary>Gets or sets the app's private key as PEM, for <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Gets or sets the app's private key as a JSON Web Key (as Okta's admin console generates it), for <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PrivateKeyJwk { get; set; }

    /// <summary>Gets or sets a certificate with its private key, for <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Gets or sets the <c>kid</c> of the public key registered on the app (Okta needs it when the app has several keys).</summary>
    /// <value>The default value is <see langword="null"/>: the JWK's <c>kid</c>, the certificate's thumbprint, or none for PEM.</value>
    public string? PrivateKeyId { get; set; }

    /// <summary>Gets or sets the client assertion's signing algorithm (<c>RS256</c> … <c>ES256</c> …).</summary>
    /// <value>The default value is <see langword="null"/>: <c>RS256</c> for RSA keys, <c>ES256</c> for P-256 keys.</value>
    public string? SigningAlgorithm { get; set; }

    /// <summary>Gets or sets the lifetime of a client assertion; Okta accepts at most one hour.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
