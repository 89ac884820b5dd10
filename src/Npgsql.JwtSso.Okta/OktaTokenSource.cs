using Npgsql.JwtSso.Okta.Internal;

namespace Npgsql.JwtSso.Okta;

/// <summary>
/// Gets access tokens for an Okta service app (API Services) from a custom authorization server with the
/// client-credentials grant: the Okta preset of <see cref="ClientCredentialsTokenSource"/>.
/// </summary>
/// <remarks>
/// The token's <c>sub</c> is the app's client id (<c>0oa…</c>), so the cluster needs an identity-map line that maps it
/// to a SQL user, and its <c>aud</c> is the authorization server's audience (for example <c>api://default</c>). All custom
/// authorization servers of an org share one rate-limit bucket: HTTP 429 becomes a transient
/// <see cref="JwtSsoException"/> whose <see cref="JwtSsoException.RetryAfter"/> comes from <c>X-Rate-Limit-Reset</c>.
/// </remarks>
public sealed class OktaTokenSource : JwtTokenSource
{
    private readonly TokenEndpointClient _client;

    /// <summary>Initializes a new instance of the <see cref="OktaTokenSource"/> class with a shared HTTP client and the system clock.</summary>
    /// <param name="options">The Okta options; validated and copied now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public OktaTokenSource(OktaTokenSourceOptions options)
        : this(options, (HttpClient?)null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OktaTokenSource"/> class.</summary>
    /// <param name="options">The Okta options; validated and copied now.</param>
    /// <param name="httpClient">The HTTP client to use; <see langword="null"/> for a shared one. It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public OktaTokenSource(OktaTokenSourceOptions options, HttpClient? httpClient, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var issuer = OktaIssuer.Resolve(options, errors);
        if (options.Scopes.Count == 0)
        {
            errors.Add("Scopes is empty: Okta's client-credentials grant needs at least one custom scope defined on the authorization server (for example Scopes = { \"crdb.login\" }).");
        }

        foreach (var scope in options.Scopes)
        {
            if (scope is "openid" or "profile" or "email" or "address" or "phone" or "offline_access" || scope.StartsWith("okta.", StringComparison.Ordinal))
            {
                errors.Add($"Scopes holds '{scope}', which the client-credentials grant of a custom authorization server cannot grant (OpenID Connect and okta.* scopes are for users or the org server): request your custom scope instead.");
            }
        }

        var generic = new ClientCredentialsTokenSourceOptions
        {
            Issuer = issuer,
            TokenEndpoint = issuer is null ? null : new Uri(issuer.AbsoluteUri + "/v1/token"),
            ClientId = options.ClientId,
            ClientSecret = options.ClientSecret,
            AuthenticationMethod = options.AuthenticationMethod,
            PrivateKeyPem = options.PrivateKeyPem,
            PrivateKeyJwk = options.PrivateKeyJwk,
            Certificate = options.Certificate,
            PrivateKeyId = options.PrivateKeyId,
            SigningAlgorithm = options.SigningAlgorithm,
            AssertionLifetime = options.AssertionLifetime,
        };
        foreach (var scope in options.Scopes)
        {
            generic.Scopes.Add(scope);
        }

        var settings = OptionsValidator.Validate(generic, "okta", ProviderFlavor.Okta, string.Empty, errors);
        if (errors.Count > 0)
        {
            throw OptionsValidator.Fail("okta", nameof(OktaTokenSource), errors.Where(e => !e.StartsWith("Issuer or TokenEndpoint", StringComparison.Ordinal)).ToList());
        }

        Issuer = issuer!;
        _client = new TokenEndpointClient(settings, httpClient ?? SharedHttpClient.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Initializes a new instance of the <see cref="OktaTokenSource"/> class that sends its requests through a handler.</summary>
    /// <param name="options">The Okta options; validated and copied now.</param>
    /// <param name="handler">The HTTP message handler (for example a proxy-aware or test handler). It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid; the message lists every problem.</exception>
    public OktaTokenSource(OktaTokenSourceOptions options, HttpMessageHandler handler, TimeProvider? timeProvider)
        : this(options, new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false), timeProvider)
    {
    }

    /// <summary>Gets <c>okta</c>.</summary>
    public override string Name => "okta";

    /// <summary>Gets the custom authorization server's issuer, <c>https://{domain}/oauth2/{authorizationServerId}</c>: the cluster's trusted issuer.</summary>
    public Uri Issuer { get; }

    /// <summary>Gets the token endpoint, <c>{Issuer}/v1/token</c>.</summary>
    public Uri TokenEndpoint => _client.TokenEndpoint!;

    /// <inheritdoc />
    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
        => _client.GetTokenAsync(cancellationToken);
}
