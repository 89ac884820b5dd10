using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.Gcp.Internal;

namespace Npgsql.JwtSso.Gcp;

/// <summary>
/// Gets Google-signed ID tokens (<c>iss</c> <c>https://accounts.google.com</c>, <c>aud</c> = <see cref="GcpTokenSourceOptions.Audience"/>,
/// <c>sub</c> = the service account's numeric id) through Google.Apis.Auth: from the metadata server, a
/// service-account key, or service-account impersonation (IAM Credentials <c>generateIdToken</c>).
/// </summary>
/// <remarks>
/// <para>
/// Google's library caches an ID token inside the <see cref="OidcToken"/> object that
/// <c>GetOidcTokenAsync</c> returns, and builds a new one (with an empty cache) on every call. This source therefore
/// keeps one <see cref="OidcToken"/> for its audience and reuses the token it holds, unless that is the token this
/// source handed out last (the refresh engine is asking for a newer one) or it has less than
/// <see cref="GcpTokenSourceOptions.MinimumTokenLifetime"/> left: then it starts a new <see cref="OidcToken"/>, which
/// fetches a freshly minted token (it does not read the kept one inside Google's background-refresh window, which
/// would start a second request). So every refresh of the engine (by default half-way through the 1-hour lifetime)
/// costs exactly one request, and Google's own windows (background refresh 3 min 45 s, blocking refresh 1 min
/// before expiry) never come into play, because the engine refreshes long before them.
/// </para>
/// <para>
/// Credentials are resolved on the first fetch, and again after a failed resolution. Application default credentials
/// are resolved here rather than by Google's <c>GetApplicationDefaultAsync</c>, which caches a failed metadata-server
/// probe for the life of the process: no metadata server answering is a transient failure, asked again next attempt.
/// </para>
/// </remarks>
public sealed class GcpTokenSource : JwtTokenSource
{
    private readonly GcpTokenSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly GcpHttpClientFactory _http;
    private readonly GcpCredentialResolver _resolver;
    private readonly string _audience;
    private readonly object _gate = new();
    private Task<GcpCredential>? _credential;
    private OidcToken? _kept;
    private string? _lastFingerprint;
    private DateTimeOffset? _lastExpiresOn;

    // Google.Apis.Auth starts a background refresh this long before exp when its cached token is read.
    private static readonly TimeSpan GoogleRefreshWindow = TimeSpan.FromSeconds(225);

    /// <summary>Initializes a new instance of the <see cref="GcpTokenSource"/> class.</summary>
    /// <param name="options">The options; validated now, every problem listed in one exception.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>. Google's token windows read it too.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message names each option and its fix.</exception>
    public GcpTokenSource(GcpTokenSourceOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, GcpEnvironment.Process)
    {
    }

    internal GcpTokenSource(GcpTokenSourceOptions options, TimeProvider? timeProvider, GcpEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GcpOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw GcpErrors.Configuration("Invalid GcpTokenSourceOptions:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", errors));
        }

        _options = options;
        _audience = options.Audience!;
        _time = timeProvider ?? TimeProvider.System;
        _http = new GcpHttpClientFactory(options.IamCredentialsEndpoint);
        _resolver = new GcpCredentialResolver(options, _time, _http, environment);
    }

    /// <inheritdoc />
    public override string Name => GcpErrors.SourceName;

    /// <summary>Gets the audience the tokens are issued for.</summary>
    public string Audience => _audience;

    /// <inheritdoc />
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _http.Reset();
        GcpCredential? credential = null;
        try
        {
            credential = await GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            var kept = KeptOidcTokenWorthAsking();
            var (oidc, token) = kept is null
                ? await FetchNewAsync(credential, cancellationToken).ConfigureAwait(false)
                : (kept, await ReadAsync(kept, cancellationToken).ConfigureAwait(false));

            if (kept is not null && !IsReusable(token))
            {
                (oidc, token) = await FetchNewAsync(credential, cancellationToken).ConfigureAwait(false);
            }

            Check(token);
            lock (_gate)
            {
                _kept = oidc;
                _lastFingerprint = token.Fingerprint;
                _lastExpiresOn = token.ExpiresOn;
            }

            return token;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GcpErrors.Map(e, credential, _audience, _http.RetryAfter);
        }
    }

    private Task<GcpCredential> GetCredentialAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_credential is null || _credential.IsFaulted || _credential.IsCanceled)
            {
                _credential = _resolver.ResolveAsync(cancellationToken);
            }

            return _credential;
        }
    }

    /// <summary>
    /// The kept <see cref="OidcToken"/>, unless reading it would only return the token handed out last while starting
    /// Google's background refresh (inside its window): that would cost a second request next to ours.
    /// </summary>
    private OidcToken? KeptOidcTokenWorthAsking()
    {
        lock (_gate)
        {
            return _kept is not null && (_lastExpiresOn is not { } exp || exp - _time.GetUtcNow() > GoogleRefreshWindow)
                ? _kept
                : null;
        }
    }

    private bool IsReusable(JwtToken token)
    {
        string? last;
        lock (_gate)
        {
            last = _lastFingerprint;
        }

        return token.Fingerprint != last
            && (token.ExpiresOn is not { } exp || exp - _time.GetUtcNow() >= _options.MinimumTokenLifetime);
    }

    private async Task<(OidcToken Oidc, JwtToken Token)> FetchNewAsync(GcpCredential credential, CancellationToken cancellationToken)
    {
        var request = OidcTokenOptions.FromTargetAudience(_audience)
            .WithTokenFormat(_options.IncludeEmail ? OidcTokenFormat.Full : OidcTokenFormat.Standard);
        var oidc = await credential.Provider.GetOidcTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return (oidc, await ReadAsync(oidc, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<JwtToken> ReadAsync(OidcToken oidc, CancellationToken cancellationToken)
    {
        var text = await oidc.GetAccessTokenAsync(cancellationToken).ConfigureAwait(false);
        if (!JwtToken.TryParse(text, out var token))
        {
            throw GcpErrors.InvalidToken("Google returned an ID token that is not a well-formed JWT; check that the endpoint is a Google endpoint (GCE_METADATA_HOST, token_uri, IamCredentialsEndpoint).");
        }

        return token;
    }

    private void Check(JwtToken token)
    {
        if (!token.Audiences.Contains(_audience, StringComparer.Ordinal))
        {
            throw GcpErrors.InvalidToken(
                $"Google issued an ID token for audience [{string.Join(" ", token.Audiences)}] instead of '{_audience}'; the cluster would reject it (invalid audience). Check Audience and any proxy in between.");
        }

        if (token.ExpiresOn is { } exp && exp <= _time.GetUtcNow())
        {
            throw GcpErrors.InvalidToken(
                $"Google issued an ID token that already expired at {exp:u} by this machine's clock; check the clock (NTP).");
        }
    }

    /// <summary>
    /// Gets the descriptor of the Google Cloud source for the dependency-injection path: <c>"Source": "Gcp"</c> with its settings in the
    /// <c>Gcp</c> sub-section. Pass it to <c>services.AddJwtSsoTokenSource(…)</c> so that configuration can choose the
    /// source, or to <c>builder.AddTokenSource(…, section)</c> to bind an instance from a section of its own.
    /// </summary>
    public static JwtTokenSourceDescriptor<GcpTokenSourceOptions> Descriptor { get; } = new(
        "Gcp",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        GcpOptionsValidator.Validate,
        (options, context) => new GcpTokenSource(options, context.TimeProvider));
}
