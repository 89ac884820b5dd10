using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql.JwtSso.Testing.Internal.Postgres;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests and demos: a fresh cluster in a temporary directory, listening on a random
/// free port of 127.0.0.1 with <c>trust</c> authentication, stopped and deleted on disposal.
/// </summary>
/// <remarks>
/// Starting takes about a second, so share one instance per test run (for example through an xunit collection
/// fixture). When the process runs as root, <c>initdb</c> and <c>pg_ctl</c> run as the <c>postgres</c> OS account.
/// </remarks>
public sealed class TestPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly TestPostgresOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _binDirectory;
    private string? _osUser;
    private NpgsqlDataSource? _admin;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="TestPostgres"/> class; call <see cref="StartAsync"/> next.</summary>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    public TestPostgres(TestPostgresOptions? options = null)
    {
        _options = options ?? new TestPostgresOptions();
    }

    /// <summary>Gets the host the server listens on: always <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the TCP port, valid after <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the temporary directory holding the data directory, the log and the Unix socket.</summary>
    public string? WorkingDirectory { get; private set; }

    /// <summary>Gets a value indicating whether the server is running.</summary>
    public bool IsRunning => _admin is not null;

    /// <summary>Gets a connection string for the superuser <c>postgres</c> on the database <c>postgres</c> (no password: trust authentication).</summary>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public string ConnectionString => GetConnectionString(SuperUser, "postgres");

    /// <summary>Gets a connection string for a user and database (no password: trust authentication).</summary>
    /// <param name="username">The role to connect as.</param>
    /// <param name="database">The database, by default <c>postgres</c>.</param>
    /// <returns>The connection string.</returns>
    /// <exception cref="InvalidOperationException">The server has not been started.</exception>
    public string GetConnectionString(string username, string database = "postgres")
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(database);
        EnsureStarted();
        return ConnectionStringUnchecked(username, database);
    }

    /// <summary>Creates a fresh cluster and starts the server. Calling it again on a running server does nothing.</summary>
    /// <param name="cancellationToken">Cancels the start; a half-started server is cleaned up.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    /// <exception cref="InvalidOperationException">The binaries are missing or initdb/pg_ctl failed; the message says why.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_admin is not null)
            {
                return;
            }

            _binDirectory = PostgresBinaries.Locate(_options.BinDirectory);
            _osUser = Environment.IsPrivilegedProcess ? _options.OsUserWhenRoot : null;
            WorkingDirectory = Path.Combine(Path.GetTempPath(), "jwtsso-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(WorkingDirectory);
            try
            {
                await InitializeAsync(cancellationToken).ConfigureAwait(false);
                _admin = NpgsqlDataSource.Create(ConnectionStringUnchecked(SuperUser, "postgres"));
            }
            catch
            {
                await StopCoreAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one SQL command as the superuser.</summary>
    /// <param name="sql">The SQL text.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the command has run.</returns>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        EnsureStarted();
        var command = _admin!.CreateCommand(sql);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a role unless it already exists.</summary>
    /// <param name="name">The role name, used verbatim (quoted), so it is case-sensitive.</param>
    /// <param name="canLogin"><see langword="true"/> for <c>LOGIN</c>, <see langword="false"/> for <c>NOLOGIN</c>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the role exists.</returns>
    public Task CreateRoleAsync(string name, bool canLogin = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var quoted = QuoteIdentifier(name);
        var login = canLogin ? "LOGIN" : "NOLOGIN";
        return ExecuteAsync(
            $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {QuoteLiteral(name)}) THEN CREATE ROLE {quoted} {login}; ELSE ALTER ROLE {quoted} {login}; END IF; END $$",
            cancellationToken);
    }

    /// <summary>Creates a database unless it already exists.</summary>
    /// <param name="name">The database name, used verbatim (quoted).</param>
    /// <param name="owner">An optional owning role.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the database exists.</returns>
    public async Task CreateDatabaseAsync(string name, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        EnsureStarted();
        var exists = _admin!.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        await using (exists.ConfigureAwait(false))
        {
            exists.Parameters.Add(new() { Value = name });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        var ownerClause = owner is null ? string.Empty : " OWNER " + QuoteIdentifier(owner);
        await ExecuteAsync($"CREATE DATABASE {QuoteIdentifier(name)}{ownerClause}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>) and deletes its directory.</summary>
    /// <returns>A task that completes when the server is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_osUser is not null)
        {
            await EnsureOsUserAsync(_osUser, cancellationToken).ConfigureAwait(false);
            await ProcessRunner.RunAsync(null, "chown", [_osUser, WorkingDirectory!], cancellationToken).ConfigureAwait(false);
        }

        var data = Path.Combine(WorkingDirectory!, "data");
        await ProcessRunner.RunAsync(
            _osUser,
            Path.Combine(_binDirectory!, "initdb"),
            ["-D", data, "-U", SuperUser, "-A", "trust", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"],
            cancellationToken).ConfigureAwait(false);

        // A port found free can be taken before the server binds it; retry a few times with a fresh one.
        for (var attempt = 1; ; attempt++)
        {
            Port = FindFreePort();
            var serverOptions = string.Create(
                CultureInfo.InvariantCulture,
                $"-c listen_addresses=127.0.0.1 -p {Port} -k {WorkingDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections={_options.MaxConnections}");
            try
            {
                await ProcessRunner.RunAsync(
                    _osUser,
                    Path.Combine(_binDirectory!, "pg_ctl"),
                    ["-D", data, "-l", Path.Combine(WorkingDirectory!, "postgres.log"), "-w", "-t", "60", "-o", serverOptions, "start"],
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Port race or slow start: loop with a new port.
            }
        }
    }

    private static async Task EnsureOsUserAsync(string user, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessRunner.RunAsync(null, "id", ["-u", user], cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            await ProcessRunner.RunAsync(null, "useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopCoreAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
            _admin = null;
        }

        if (WorkingDirectory is null)
        {
            return;
        }

        var data = Path.Combine(WorkingDirectory, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try
            {
                await ProcessRunner.RunAsync(_osUser, Path.Combine(_binDirectory!, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"], CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already stopped; deleting the directory below is all that is left.
            }
        }

        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }

        WorkingDirectory = null;
    }

    private void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_admin is null)
        {
            throw new InvalidOperationException("The PostgreSQL server is not running: call TestPostgres.StartAsync first.");
        }
    }

    private string ConnectionStringUnchecked(string username, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = username,
        Database = database,
        SslMode = SslMode.Disable,
        GssEncryptionMode = GssEncryptionMode.Disable,
    }.ConnectionString;
}
