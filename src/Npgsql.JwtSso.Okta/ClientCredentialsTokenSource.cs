using Npgsql.JwtSso.Okta.Internal;

namespace Npgsql.JwtSso.Okta;

/// <summary>
/// Gets JWT access tokens with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) from any authorization server that
/// issues JWTs (Keycloak, Auth0, Microsoft Entra app registrations, Okta custom servers…), authenticating the client with
/// <c>client_secret_basic</c>, <c>client_secret_post</c> or <c>private_key_jwt</c>.
/// </summary>
/// <remarks>
/// Each call makes one token request (plus, the first time, one discovery request when only <see cref="ClientCredentialsTokenSourceOptions.Issuer"/>
/// is set); caching and refresh belong to <see cref="JwtTokenCache"/>. Failures become <see cref="JwtSsoException"/>s:
/// throttling (HTTP 429, with <c>Retry-After</c> or <c>X-Rate-Limit-Reset</c> in <see cref="JwtSsoException.RetryAfter"/>), 5xx and
/// network errors are transient; refusals such as <c>invalid_client</c> are not. Opaque and DPoP-bound tokens are refused
/// because the cluster cannot use them as a password.
/// </remarks>
public sealed class ClientCredentialsTokenSource : JwtTokenSource
{
    private readonly TokenEndpointClient _client;
    private readonly string _name;

    /// <summary>Initializes a new instance of the <see cref="ClientCredentialsTokenSource"/> class with a shared HTTP client and the system clock.</summary>
    /// <param name="options">The grant's options; validated and copied now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public ClientCredentialsTokenSource(ClientCredentialsTokenSourceOptions options)
        : this(options, (HttpClient?)null, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClientCredentialsTokenSource"/> class.</summary>
    /// <param name="options">The grant's options; validated and copied now.</param>
    /// <param name="httpClient">The HTTP client to use; <see langword="null"/> for a shared one. It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public ClientCredentialsTokenSource(ClientCredentialsTokenSourceOptions options, HttpClient? httpClient, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _name = "oauth:" + (options.TokenEndpoint ?? options.Issuer)?.Authority;
        var errors = new List<string>();
        var settings = OptionsValidator.Validate(options, _name, ProviderFlavor.Generic, string.Empty, errors);
        if (errors.Count > 0)
        {
            throw OptionsValidator.Fail(_name, nameof(ClientCredentialsTokenSource), errors);
        }

        _client = new TokenEndpointClient(settings, httpClient ?? SharedHttpClient.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Initializes a new instance of the <see cref="ClientCredentialsTokenSource"/> class that sends its requests through a handler.</summary>
    /// <param name="options">The grant's options; validated and copied now.</param>
    /// <param name="handler">The HTTP message handler (for example a proxy-aware or test handler). It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid; the message lists every problem.</exception>
    public ClientCredentialsTokenSource(ClientCredentialsTokenSourceOptions options, HttpMessageHandler handler, TimeProvider? timeProvider)
        : this(options, new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false), timeProvider)
    {
    }

    /// <summary>Gets <c>oauth:</c> followed by the authorization server's host (and port).</summary>
    public override string Name => _name;

    /// <summary>Gets the token endpoint in use: the configured one, the discovered one, or <see langword="null"/> before discovery.</summary>
    public Uri? TokenEndpoint => _client.TokenEndpoint;

    /// <inheritdoc />
    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
        => _client.GetTokenAsync(cancellationToken);
}
