using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.JwtSso.Testing.Internal.Emulator;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// A PostgreSQL-wire front on 127.0.0.1 that logs clients in the way a CockroachDB node does for JWT ("Cluster SSO")
/// logins — same handshake, settings, validation order, messages, DETAILs and SQLSTATEs — and then splices the
/// connection to a real PostgreSQL server (for example <see cref="TestPostgres"/>) for everything after the login.
/// </summary>
/// <remarks>
/// Configure it through <see cref="Settings"/> (changeable while running). SQL users are the roles of the PostgreSQL
/// server (<c>pg_roles.rolcanlogin</c> decides <c>NOLOGIN</c>). The emulator never logs a token.
/// </remarks>
public sealed class CockroachJwtEmulator : IAsyncDisposable
{
    private readonly CockroachJwtEmulatorOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Task, Socket> _sessions = new();
    private readonly JwksHttpClients _http;
    private readonly NpgsqlDataSource _admin;
    private readonly EmulatorContext _context;
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="CockroachJwtEmulator"/> class in front of a running <see cref="TestPostgres"/>.</summary>
    /// <param name="postgres">The PostgreSQL server that receives the logged-in connections.</param>
    public CockroachJwtEmulator(TestPostgres postgres)
        : this(new CockroachJwtEmulatorOptions { PostgresConnectionString = (postgres ?? throw new ArgumentNullException(nameof(postgres))).ConnectionString })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CockroachJwtEmulator"/> class; call <see cref="StartAsync"/> next.</summary>
    /// <param name="options">The options; <see cref="CockroachJwtEmulatorOptions.PostgresConnectionString"/> is required.</param>
    /// <exception cref="ArgumentException">The PostgreSQL connection string is missing or names no host.</exception>
    public CockroachJwtEmulator(CockroachJwtEmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            throw new ArgumentException("CockroachJwtEmulatorOptions.PostgresConnectionString is required: pass a superuser connection string to the PostgreSQL server behind the emulator (for example TestPostgres.ConnectionString).", nameof(options));
        }

        var upstream = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
        if (string.IsNullOrEmpty(upstream.Host) || upstream.Host.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException("CockroachJwtEmulatorOptions.PostgresConnectionString must name exactly one host (for example Host=127.0.0.1;Port=5432).", nameof(options));
        }

        _options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CockroachJwtEmulator>();
        _http = new JwksHttpClients(options.JwksHttpHandler);
        _admin = NpgsqlDataSource.Create(options.PostgresConnectionString);
        Certificate = options.Certificate ?? Internal.SelfSignedCertificate.CreateForLoopback();
        _context = new EmulatorContext(
            Settings,
            new JwtLoginValidator(_http, options.TimeProvider),
            new PostgresUsers(_admin),
            upstream.Host,
            upstream.Port,
            Certificate,
            options.TlsEnabled,
            options.AcceptSqlWithoutTls,
            _logger);
    }

    /// <summary>Gets the emulated cluster settings; changes apply to the next login.</summary>
    public CockroachJwtSettings Settings { get; } = new();

    /// <summary>Gets the host the emulator listens on: always <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the TCP port, valid after <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the server certificate presented after an SSLRequest (clients can trust it for <c>SSL Mode=VerifyFull</c>).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Gets the server certificate in PEM form, ready to be written to a root-certificate file.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Gets the number of StartupMessages received (each login attempt, whatever its outcome).</summary>
    public long LoginsAttempted => _context.Attempted;

    /// <summary>Gets the number of logins accepted and spliced to PostgreSQL.</summary>
    public long LoginsSucceeded => _context.Succeeded;

    /// <summary>Gets the number of logins answered with an ErrorResponse.</summary>
    public long LoginsRejected => _context.Rejected;

    /// <summary>Gets the most recent rejection, or <see langword="null"/>.</summary>
    public CockroachJwtRejection? LastRejection => _context.LastRejection;

    /// <summary>Starts listening. Calling it again does nothing.</summary>
    /// <param name="cancellationToken">Not used beyond an early check; listening starts synchronously.</param>
    /// <returns>A completed task once the port is bound.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null)
        {
            return Task.CompletedTask;
        }

        _listener = new TcpListener(IPAddress.Loopback, _options.Port);
        _listener.Start(backlog: 512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        EmulatorLog.Listening(_logger, Port, _context.UpstreamHost, _context.UpstreamPort);
        _acceptLoop = AcceptLoopAsync(_listener, _shutdown.Token);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Builds a connection string to the emulator as a CockroachDB client would use it: the JWT flag in <c>Options</c>,
    /// TLS required (unless TLS is off), GSS encryption disabled, and <c>Include Error Detail</c> on so the server's
    /// DETAIL reaches <see cref="PostgresException.Detail"/> (it never contains the token).
    /// </summary>
    /// <param name="username">The SQL user.</param>
    /// <param name="password">The token to send as the password, or <see langword="null"/> to supply one another way (for example a password provider).</param>
    /// <param name="database">The database.</param>
    /// <returns>The connection string.</returns>
    /// <exception cref="InvalidOperationException">The emulator has not been started.</exception>
    public string GetConnectionString(string username, string? password = null, string database = "postgres")
    {
        ArgumentNullException.ThrowIfNull(username);
        if (_listener is null)
        {
            throw new InvalidOperationException("The emulator is not listening: call CockroachJwtEmulator.StartAsync first.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = username,
            Database = database,
            Options = "--crdb:jwt_auth_enabled=true",
            SslMode = _options.TlsEnabled ? SslMode.Require : SslMode.Disable,
            GssEncryptionMode = GssEncryptionMode.Disable,
            IncludeErrorDetail = true,
        };
        if (password is not null)
        {
            builder.Password = password;
        }

        return builder.ConnectionString;
    }

    /// <summary>Sets the login counters to zero and forgets <see cref="LastRejection"/>.</summary>
    public void ResetCounters() => _context.ResetCounters();

    /// <summary>Stops listening, closes every connection and releases resources.</summary>
    /// <returns>A task that completes when all connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        foreach (var socket in _sessions.Values)
        {
            socket.Dispose();
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_sessions.Keys).ConfigureAwait(false);
        await _admin.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _shutdown.Dispose();
        if (_options.Certificate is null)
        {
            Certificate.Dispose();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            socket.NoDelay = true;
            var session = new EmulatorSession(_context, socket);
            var task = Task.Run(() => session.RunAsync(cancellationToken), CancellationToken.None);
            _sessions[task] = socket;
            _ = task.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
