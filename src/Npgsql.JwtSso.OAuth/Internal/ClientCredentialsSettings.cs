namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// What configuration can set of <see cref="ClientCredentialsTokenSourceOptions"/>: every option but the certificate,
/// under the same names (see <see cref="ClientCredentialsBinding"/>). A preset derives it to add its own settings.
/// </summary>
internal class ClientCredentialsSettings
{
    public Uri? Issuer { get; set; }

    public Uri? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public ClientAuthenticationMethod AuthenticationMethod { get; set; }

    public List<string> Scopes { get; } = [];

    public string? Audience { get; set; }

    public List<string> Resources { get; } = [];

    public Dictionary<string, string> AdditionalParameters { get; } = new(StringComparer.Ordinal);

    public string? PrivateKeyPem { get; set; }

    public string? PrivateKeyJwk { get; set; }

    public string? PrivateKeyId { get; set; }

    public string? SigningAlgorithm { get; set; }

    public TimeSpan AssertionLifetime { get; set; }

    public string? AssertionAudience { get; set; }

    /// <summary>Starts from the options' current values (set in code or by an earlier binding), as binding onto them would.</summary>
    public virtual void CopyFrom(ClientCredentialsTokenSourceOptions options)
    {
        Issuer = options.Issuer;
        TokenEndpoint = options.TokenEndpoint;
        ClientId = options.ClientId;
        ClientSecret = options.ClientSecret;
        AuthenticationMethod = options.AuthenticationMethod;
        Replace(Scopes, options.Scopes);
        Audience = options.Audience;
        Replace(Resources, options.Resources);
        Replace(AdditionalParameters, options.AdditionalParameters);
        PrivateKeyPem = options.PrivateKeyPem;
        PrivateKeyJwk = options.PrivateKeyJwk;
        PrivateKeyId = options.PrivateKeyId;
        SigningAlgorithm = options.SigningAlgorithm;
        AssertionLifetime = options.AssertionLifetime;
        AssertionAudience = options.AssertionAudience;
    }

    /// <summary>Writes the bound values back; the certificate is left as code set it.</summary>
    public virtual void CopyTo(ClientCredentialsTokenSourceOptions options)
    {
        options.Issuer = Issuer;
        options.TokenEndpoint = TokenEndpoint;
        options.ClientId = ClientId;
        options.ClientSecret = ClientSecret;
        options.AuthenticationMethod = AuthenticationMethod;
        Replace(options.Scopes, Scopes);
        options.Audience = Audience;
        Replace(options.Resources, Resources);
        Replace(options.AdditionalParameters, AdditionalParameters);
        options.PrivateKeyPem = PrivateKeyPem;
        options.PrivateKeyJwk = PrivateKeyJwk;
        options.PrivateKeyId = PrivateKeyId;
        options.SigningAlgorithm = SigningAlgorithm;
        options.AssertionLifetime = AssertionLifetime;
        options.AssertionAudience = AssertionAudience;
    }

    private static void Replace<T>(ICollection<T> target, IEnumerable<T> items)
    {
        var copy = items.ToList();
        target.Clear();
        foreach (var item in copy)
        {
            target.Add(item);
        }
    }
}
