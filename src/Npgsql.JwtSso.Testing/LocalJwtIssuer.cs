using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.JwtSso.Testing.Internal;
using Npgsql.JwtSso.Testing.Internal.Vendors;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// A local OIDC issuer on 127.0.0.1 for tests and demos: signing keys, discovery, JWKS, a mint API, and the
/// vendor-shaped token endpoints the real SDKs call (GCP, Microsoft Entra, Okta, GitHub Actions), with fault injection.
/// </summary>
/// <remarks>
/// Start one with <see cref="StartAsync"/> and dispose it when done. It listens on an http and an https port; the
/// https certificate is self-signed and made in-process (see <see cref="Certificate"/> and <see cref="CreateHttpClientHandler"/>).
/// It never logs token text.
/// </remarks>
public sealed partial class LocalJwtIssuer : IAsyncDisposable
{
    private readonly LocalJwtIssuerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _disposed;

    private LocalJwtIssuer(LocalJwtIssuerOptions options, X509Certificate2 certificate)
    {
        _options = options;
        Time = options.TimeProvider;
        Certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem();
        _logger = options.LoggerFactory?.CreateLogger<LocalJwtIssuer>() ?? (ILogger)NullLogger.Instance;
        var rsa = LocalSigningKey.CreateRsa(RsaKeyId);
        _keys.Add(rsa);
        _keys.Add(LocalSigningKey.CreateEcdsa(EcKeyId));
        _defaultKey = rsa;
    }

    /// <summary>Gets the clock minted <c>iat</c>/<c>exp</c> come from (<see cref="LocalJwtIssuerOptions.TimeProvider"/>).</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the http base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>Gets the https base address, e.g. <c>https://127.0.0.1:41235/</c>.</summary>
    public Uri HttpsUri { get; private set; } = null!;

    /// <summary>Gets the default <c>iss</c>: <see cref="LocalJwtIssuerOptions.Issuer"/>, or the http base address without the trailing slash.</summary>
    public string Issuer { get; private set; } = null!;

    /// <summary>Gets the https listener's self-signed certificate (SAN IP 127.0.0.1 and DNS localhost, EKU serverAuth, with private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Gets <see cref="Certificate"/> as PEM (public part only), e.g. for a file named by <c>SSL_CERT_FILE</c>.</summary>
    public string CertificatePem { get; }

    /// <summary>Gets the faults per endpoint; set one to make that endpoint misbehave.</summary>
    public IssuerFaults Faults { get; } = new();

    /// <summary>Gets the settings the issuer was started with.</summary>
    public LocalJwtIssuerOptions Options => _options;

    /// <summary>Starts an issuer on 127.0.0.1 (an http and an https listener).</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running issuer. Dispose it to stop it.</returns>
    /// <exception cref="ArgumentException">The options are invalid (message names the setting).</exception>
    public static async Task<LocalJwtIssuer> StartAsync(LocalJwtIssuerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalJwtIssuerOptions();
        Validate(options);
        var issuer = new LocalJwtIssuer(options, SelfSignedCertificate.CreateForLoopback());
        try
        {
            await issuer.StartHostAsync(cancellationToken).ConfigureAwait(false);
            return issuer;
        }
        catch
        {
            await issuer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates a handler that trusts exactly <see cref="Certificate"/> (and otherwise the normal chain rules), for an
    /// <see cref="HttpClient"/> or an SDK transport talking to <see cref="HttpsUri"/>.
    /// </summary>
    /// <returns>A new handler; the caller disposes it.</returns>
    public HttpClientHandler CreateHttpClientHandler()
    {
        var pinned = Certificate.RawData;
#pragma warning disable CA5359 // The callback pins the issuer's own certificate; it is not a blanket "accept all".
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (cert is not null && cert.RawData.AsSpan().SequenceEqual(pinned)),
        };
#pragma warning restore CA5359
    }

    /// <summary>Stops the listeners (aborting hanging requests) and releases the keys and the certificate.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        lock (_keysLock)
        {
            foreach (var key in _keys)
            {
                key.Dispose();
            }
        }

        Certificate.Dispose();
    }

    private static void Validate(LocalJwtIssuerOptions options)
    {
        if (options.TimeProvider is null)
        {
            throw new ArgumentException("LocalJwtIssuerOptions.TimeProvider is null; leave it at TimeProvider.System or set a clock.", nameof(options));
        }

        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"LocalJwtIssuerOptions.TokenLifetime is {options.TokenLifetime}; set a positive lifetime.", nameof(options));
        }

        if (options.HttpPort is < 0 or > 65535 || options.HttpsPort is < 0 or > 65535)
        {
            throw new ArgumentException("LocalJwtIssuerOptions.HttpPort/HttpsPort must be 0 (any free port) or a port number up to 65535.", nameof(options));
        }
    }

    private async Task StartHostAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LocalJwtIssuer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, _options.HttpPort);
            kestrel.Listen(IPAddress.Loopback, _options.HttpsPort, listen => listen.UseHttps(Certificate));
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Logging.ClearProviders();
        if (_options.LoggerFactory is { } loggerFactory)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        }

        var app = builder.Build();
        _app = app;
        GenericEndpoints.Map(app, this);
        VendorEndpoints.MapAll(app, this);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpUri = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)) + "/");
        HttpsUri = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)) + "/");
        Issuer = _options.Issuer ?? HttpUri.GetLeftPart(UriPartial.Authority);
        Log.Started(_logger, HttpUri, HttpsUri);
    }
}
