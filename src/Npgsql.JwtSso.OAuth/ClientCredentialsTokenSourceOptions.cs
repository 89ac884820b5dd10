using System.Security.Cryptography.X509Certificates;

namespace Npgsql.JwtSso.OAuth;

/// <summary>
/// Options of <see cref="ClientCredentialsTokenSource"/>: an OAuth 2.0 client-credentials grant against any
/// authorization server that issues JWT access tokens (Keycloak, Auth0, Microsoft Entra app registrations, Okta…).
/// </summary>
/// <remarks>
/// The options are validated, and copied, when the source is constructed; all problems are reported at once. Presets for
/// one product (<c>OktaTokenSourceOptions</c>) derive from this class and add only what that product derives the
/// endpoints from.
/// </remarks>
public class ClientCredentialsTokenSourceOptions
{
    private List<string> _scopes = [];
    private List<string> _resources = [];
    private Dictionary<string, string> _additionalParameters = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the authorization server's issuer URL. When <see cref="TokenEndpoint"/> is not set, the token endpoint
    /// is discovered once from <c>{Issuer}/.well-known/oauth-authorization-server</c>, falling back to
    /// <c>{Issuer}/.well-known/openid-configuration</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? Issuer { get; set; }

    /// <summary>Gets or sets the token endpoint. When set, no discovery request is made.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Gets or sets the client id of the application registered at the authorization server.</summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret, for <see cref="ClientAuthenticationMethod.ClientSecretBasic"/> and <see cref="ClientAuthenticationMethod.ClientSecretPost"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets how the client authenticates at the token endpoint.</summary>
    /// <value>The default value is <see cref="ClientAuthenticationMethod.ClientSecretBasic"/>.</value>
    public ClientAuthenticationMethod AuthenticationMethod { get; set; } = ClientAuthenticationMethod.ClientSecretBasic;

    /// <summary>Gets the scopes to request (sent space-separated in <c>scope</c>). Each entry is one scope.</summary>
    /// <value>The default value is an empty list (no <c>scope</c> parameter).</value>
    public IList<string> Scopes => _scopes;

    /// <summary>Gets or sets the <c>audience</c> parameter (Auth0 and some others select the API, and so the token's <c>aud</c>, with it).</summary>
    /// <value>The default value is <see langword="null"/> (not sent).</value>
    public string? Audience { get; set; }

    /// <summary>Gets the <c>resource</c> parameters (RFC 8707 resource indicators).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Resources => _resources;

    /// <summary>Gets further form parameters sent with the token request. Parameters the grant itself uses cannot be overridden.</summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string> AdditionalParameters => _additionalParameters;

    /// <summary>Gets or sets the private key for <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> as PEM (PKCS#8, PKCS#1 or SEC1; RSA or EC P-256).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Gets or sets the private key for <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> as a JSON Web Key (with its private parts; <c>kid</c> is used when present).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PrivateKeyJwk { get; set; }

    // A field, not a property: the configuration-binding generator would try to bind a certificate property.
    private X509Certificate2? _certificate;

    /// <summary>Gets the certificate set with <see cref="UseCertificate"/>.</summary>
    internal X509Certificate2? Certificate() => _certificate;

    /// <summary>Gets or sets the <c>kid</c> header of the client assertion: the id under which the public key is registered.</summary>
    /// <value>The default value is <see langword="null"/>: the JWK's <c>kid</c>, the certificate's thumbprint, or none for PEM.</value>
    public string? PrivateKeyId { get; set; }

    /// <summary>Gets or sets the signing algorithm of the client assertion (<c>RS256</c>, <c>RS384</c>, <c>RS512</c>, <c>PS256</c>, <c>ES256</c>, <c>ES384</c>).</summary>
    /// <value>The default value is <see langword="null"/>: <c>RS256</c> for RSA keys, <c>ES256</c> for P-256 keys.</value>
    public string? SigningAlgorithm { get; set; }

    /// <summary>Gets or sets the lifetime of a client assertion (its <c>exp</c> − <c>iat</c>). Okta accepts at most one hour.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the <c>aud</c> of the client assertion.</summary>
    /// <value>The default value is <see langword="null"/>: the token endpoint URL, which is what Okta, Keycloak and Auth0 expect.</value>
    public string? AssertionAudience { get; set; }

    /// <summary>
    /// Signs the client assertions of <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> with a certificate's private
    /// key; the assertion carries its <c>x5t</c> thumbprint. A certificate is set in code only (for example loaded with
    /// <see cref="X509CertificateLoader"/> or from a key vault); configuration gives the key as <see cref="PrivateKeyPem"/>
    /// or <see cref="PrivateKeyJwk"/>. It is one of the three alternatives with those two.
    /// </summary>
    /// <param name="certificate">The certificate with its private key; <see langword="null"/> to clear it. It is not disposed by the source.</param>
    public void UseCertificate(X509Certificate2? certificate) => _certificate = certificate;

    /// <summary>Copies the options (of the derived type too), with collections of their own, so later changes do not reach a source.</summary>
    internal ClientCredentialsTokenSourceOptions Snapshot()
    {
        var copy = (ClientCredentialsTokenSourceOptions)MemberwiseClone();
        copy._scopes = [.. _scopes];
        copy._resources = [.. _resources];
        copy._additionalParameters = new(_additionalParameters, StringComparer.Ordinal);
        return copy;
    }
}
