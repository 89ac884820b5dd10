using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.JwtSso.Azure.Internal;

namespace Npgsql.JwtSso.Azure;

/// <summary>
/// A <see cref="JwtTokenSource"/> that gets Microsoft Entra access tokens through Azure.Identity: managed identity,
/// AKS workload identity, an app registration's secret or certificate, <c>DefaultAzureCredential</c>, the Azure CLI,
/// or any other <see cref="TokenCredential"/>.
/// </summary>
/// <remarks>
/// <para>
/// One credential instance is kept for the lifetime of the source, so Azure.Identity's own token cache keeps working
/// (managed identities and app registrations cache in MSAL; developer credentials such as the Azure CLI do not, which
/// is why Npgsql.JwtSso's cache sits in front of every source). <see cref="AccessToken.RefreshOn"/> is passed on as
/// <see cref="JwtToken.RefreshOn"/>.
/// </para>
/// <para>
/// Failures become a <see cref="JwtSsoException"/> that names the cause and the fix: no credential available
/// (<see cref="JwtSsoErrorKind.Configuration"/>), consent, role or resource problems (AADSTS65001, 500011, 700016…),
/// throttling and outages (<see cref="JwtSsoException.IsTransient"/>, with <see cref="JwtSsoException.RetryAfter"/>
/// when Entra sends one), and tokens whose <c>aud</c> or <c>iss</c> cannot match the cluster
/// (<see cref="JwtSsoErrorKind.InvalidToken"/>).
/// </para>
/// </remarks>
public sealed class AzureTokenSource : JwtTokenSource
{
    internal const string SourceName = "azure";
    private static readonly TimeSpan SlowFirstTokenThreshold = TimeSpan.FromSeconds(5);

    private readonly TokenRequestContext _context;
    private readonly AzureSourceDescription _description;
    private readonly AzureErrorMapper _errors;
    private readonly IList<string> _expectedAudiences;
    private readonly IList<string> _expectedIssuers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _isChain;
    private int _firstTokenDone;

    /// <summary>Initializes a new instance of the <see cref="AzureTokenSource"/> class over a ready credential.</summary>
    /// <param name="credential">The credential; reused for every token.</param>
    /// <param name="scope">The one scope to request, <c>&lt;Application ID URI of the cluster's app&gt;/.default</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="credential"/> or <paramref name="scope"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException"><paramref name="scope"/> is not valid (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    public AzureTokenSource(TokenCredential credential, string scope)
        : this(new AzureTokenSourceOptions { Credential = credential ?? throw new ArgumentNullException(nameof(credential)), Scope = scope ?? throw new ArgumentNullException(nameof(scope)) })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AzureTokenSource"/> class from options.</summary>
    /// <param name="options">The options; validated now, every problem reported at once.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none. Token text is never logged.</param>
    /// <param name="timeProvider">The clock for timings and <c>Retry-After</c> dates; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are not valid, or the credential cannot be built (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public AzureTokenSource(AzureTokenSourceOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = AzureTokenSourceOptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                SourceName,
                $"Token source '{SourceName}': the Azure token source options are not valid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "- " + p)));
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AzureTokenSource>();
        Credential = options.Credential ?? CreateCredential(options);
        Scope = options.Scope!.Trim();
        AzureScope.TryGetResource(Scope, out var resource, out _);
        _description = new AzureSourceDescription(options, Scope, resource, Credential.GetType().Name);
        _errors = new AzureErrorMapper(_description, _time);
        _expectedAudiences = [.. options.ExpectedAudiences];
        _expectedIssuers = [.. options.ExpectedIssuers];
        _isChain = Credential is DefaultAzureCredential or ChainedTokenCredential;

        // A managed identity has no tenant to choose, and a built credential already carries its tenant.
        var requestTenant = options.Credential is not null ? _description.TenantId : null;
        _context = new TokenRequestContext(scopes: [Scope], tenantId: requestTenant);

        if (Credential is AzureCliCredential or AzurePowerShellCredential or AzureDeveloperCliCredential or VisualStudioCredential or VisualStudioCodeCredential or DefaultAzureCredential)
        {
            Log.DeveloperCredential(_logger, _description.CredentialName);
        }
    }

    /// <inheritdoc />
    public override string Name => SourceName;

    /// <summary>Gets the credential every token is requested from (the same instance for the source's lifetime).</summary>
    public TokenCredential Credential { get; }

    /// <summary>Gets the scope every token is requested for.</summary>
    public string Scope { get; }

    /// <inheritdoc />
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        Log.Requesting(_logger, Scope, _description.CredentialName);
        var started = _time.GetTimestamp();
        AccessToken accessToken;
        try
        {
            accessToken = await Credential.GetTokenAsync(_context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not JwtSsoException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw _errors.Map(ex);
        }

        var elapsed = _time.GetElapsedTime(started);
        if (_isChain && Interlocked.Exchange(ref _firstTokenDone, 1) == 0 && elapsed >= SlowFirstTokenThreshold)
        {
            Log.SlowFirstToken(_logger, _description.CredentialName, (long)elapsed.TotalMilliseconds);
        }

        var token = Parse(accessToken);
        Log.Received(_logger, Scope, _description.CredentialName, (long)elapsed.TotalMilliseconds, token.Fingerprint, token.ExpiresOn, token.RefreshOn);
        if (EntraTokenChecker.FindProblem(token, _description, _expectedAudiences, _expectedIssuers) is { } problem)
        {
            throw new JwtSsoException(JwtSsoErrorKind.InvalidToken, SourceName, $"Token source '{SourceName}': {problem}");
        }

        return token;
    }

    private JwtToken Parse(AccessToken accessToken)
    {
        try
        {
            return JwtToken.Parse(accessToken.Token ?? string.Empty, accessToken.RefreshOn);
        }
        catch (FormatException ex)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                SourceName,
                $"Token source '{SourceName}': {_description.CredentialName} returned a token for scope '{Scope}' that CockroachDB cannot verify: {ex.Message} "
                    + "Entra issues signed JWT access tokens for app registrations; make sure Scope names the cluster's own app registration ('api://<cluster-app-client-id>/.default').",
                ex);
        }
    }

    private static TokenCredential CreateCredential(AzureTokenSourceOptions options)
    {
        try
        {
            return AzureCredentialFactory.Create(options);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                SourceName,
                $"Token source '{SourceName}': the Azure credential (CredentialKind {options.CredentialKind}) could not be created: {ex.Message} Check TenantId, ClientId and the certificate or token file settings.",
                ex);
        }
    }

    /// <summary>
    /// Gets the descriptor of the Microsoft Entra source for the dependency-injection path: <c>"Source": "Azure"</c> with its settings in the
    /// <c>Azure</c> sub-section. Pass it to <c>services.AddJwtSsoTokenSource(…)</c> so that configuration can choose the
    /// source, or to <c>builder.AddTokenSource(…, section)</c> to bind an instance from a section of its own.
    /// </summary>
    public static JwtTokenSourceDescriptor<AzureTokenSourceOptions> Descriptor { get; } = new(
        "Azure",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        AzureTokenSourceOptionsValidator.Validate,
        (options, context) => new AzureTokenSource(options, context.LoggerFactory, context.TimeProvider));
}
