using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.OAuth;

/// <summary>
/// Gets JWT access tokens with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) from any authorization server that
/// issues JWTs (Keycloak, Auth0, Microsoft Entra app registrations, Okta custom servers…), authenticating the client with
/// <c>client_secret_basic</c>, <c>client_secret_post</c> or <c>private_key_jwt</c>.
/// </summary>
/// <remarks>
/// Each call makes one token request (plus, the first time, one discovery request when only <see cref="ClientCredentialsTokenSourceOptions.Issuer"/>
/// is set); caching and refresh belong to <see cref="JwtTokenCache"/>. Failures become <see cref="JwtSsoException"/>s:
/// throttling (HTTP 429, with <c>Retry-After</c> in <see cref="JwtSsoException.RetryAfter"/>), 5xx and network errors are
/// transient; refusals such as <c>invalid_client</c> are not. Opaque and DPoP-bound tokens are refused because the cluster
/// cannot use them as a password. Presets for one product (<c>OktaTokenSource</c>) derive from this class.
/// </remarks>
public class ClientCredentialsTokenSource : JwtTokenSource
{
    private readonly TokenEndpointClient _client;

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
        : this(options, httpClient, timeProvider, GenericPreset.Instance)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClientCredentialsTokenSource"/> class that sends its requests through a handler.</summary>
    /// <param name="options">The grant's options; validated and copied now.</param>
    /// <param name="handler">The HTTP message handler (for example a proxy-aware or test handler). It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid; the message lists every problem.</exception>
    public ClientCredentialsTokenSource(ClientCredentialsTokenSourceOptions options, HttpMessageHandler handler, TimeProvider? timeProvider)
        : this(options, ClientFor(handler), timeProvider, GenericPreset.Instance)
    {
    }

    /// <summary>Initializes a source whose endpoints, checks and error advice come from <paramref name="preset"/>.</summary>
    internal ClientCredentialsTokenSource(ClientCredentialsTokenSourceOptions options, HttpClient? httpClient, TimeProvider? timeProvider, IClientCredentialsPreset preset)
    {
        ArgumentNullException.ThrowIfNull(options);
        Grant = ClientCredentialsGrant.Create(options, preset);
        _client = new TokenEndpointClient(Grant, httpClient ?? SharedHttpClient.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Gets the source's name: <c>oauth:</c> followed by the authorization server's host (and port); a preset's own name (<c>okta</c>).</summary>
    public sealed override string Name => Grant.SourceName;

    /// <summary>Gets the token endpoint in use: the configured one, the discovered one, or <see langword="null"/> before discovery.</summary>
    public Uri? TokenEndpoint => _client.TokenEndpoint;

    internal ClientCredentialsGrant Grant { get; }

    /// <inheritdoc />
    public sealed override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
        => _client.GetTokenAsync(cancellationToken);

    /// <summary>Wraps a caller's handler in a client that leaves the handler to its owner.</summary>
    internal static HttpClient ClientFor(HttpMessageHandler handler)
        => new(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false);

    /// <summary>
    /// Gets the descriptor of the OAuth client-credentials source for the dependency-injection path: <c>"Source": "ClientCredentials"</c> with its settings in the
    /// <c>ClientCredentials</c> sub-section. Pass it to <c>services.AddJwtSsoTokenSource(…)</c> so that configuration can choose the
    /// source, or to <c>builder.AddTokenSource(…, section)</c> to bind an instance from a section of its own.
    /// </summary>
    public static JwtTokenSourceDescriptor<ClientCredentialsTokenSourceOptions> Descriptor { get; } = new(
        "ClientCredentials",
        (configuration, options) =>
        {
            ClientCredentialsBinding.RefuseCertificate(configuration);
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        },
        options => ClientCredentialsGrant.Problems(options, GenericPreset.Instance),
        (options, context) => new ClientCredentialsTokenSource(options, context.HttpClient, context.TimeProvider));
}
