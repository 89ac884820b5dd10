using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Examples;

/// <summary>
/// What an example runs against when no cluster is configured: a throwaway PostgreSQL behind the CockroachDB JWT-login
/// emulator (TLS), a local identity provider, and a token file for <see cref="SqlUser"/> (as a projected token would be).
/// <see cref="StartAsync"/> starts it all; an example that shows each step starts the parts one by one
/// (<see cref="StartPostgresAsync"/>, <see cref="StartIssuerAsync"/>, <see cref="StartClusterAsync"/>).
/// </summary>
internal sealed class LocalStack : IAsyncDisposable
{
    private readonly string _directory;
    private LocalJwtIssuer? _issuer;
    private CockroachJwtEmulator? _cluster;

    private LocalStack(TestPostgres postgres, string directory, string sqlUser)
    {
        Postgres = postgres;
        _directory = directory;
        SqlUser = sqlUser;
    }

    public string SqlUser { get; }

    public TestPostgres Postgres { get; }

    public LocalJwtIssuer Issuer => _issuer ?? throw new InvalidOperationException("Start the issuer first.");

    public CockroachJwtEmulator Cluster => _cluster ?? throw new InvalidOperationException("Start the cluster first.");

    public string TokenFile => Path.Combine(_directory, "token.jwt");

    /// <summary>Gets the file holding the emulator's CA certificate (written by <see cref="StartClusterAsync"/>).</summary>
    public string RootCertificate => Path.Combine(_directory, "root.crt");

    /// <summary>Gets a VerifyFull connection string to the emulator, with no password (the token is the password).</summary>
    public string ConnectionString(bool includeUsername, string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Cluster.Host,
        Port = Cluster.Port,
        Database = database,
        Username = includeUsername ? SqlUser : null,
        SslMode = SslMode.VerifyFull,
        RootCertificate = RootCertificate,
    }.ConnectionString;

    /// <summary>Starts everything: the issuer's default audience is the cluster's, and <see cref="TokenFile"/> holds a one-hour token for the SQL user.</summary>
    public static async Task<LocalStack> StartAsync(string sqlUser, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("No cluster configured: starting a local stack (PostgreSQL behind the CockroachDB JWT-login emulator, a local identity provider).").ConfigureAwait(false);
        var stack = await StartPostgresAsync(sqlUser, database: null, cancellationToken).ConfigureAwait(false);
        try
        {
            var issuer = await stack.StartIssuerAsync(cancellationToken).ConfigureAwait(false);
            var audience = issuer.Options.DefaultAudience;
            await stack.StartClusterAsync(
                [
                    ("server.jwt_authentication.jwks", issuer.JwksJson),
                    ("server.jwt_authentication.issuers.configuration", issuer.Issuer),
                    ("server.jwt_authentication.audience", audience),
                    ("server.jwt_authentication.enabled", "true"),
                ],
                cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(stack.TokenFile, issuer.MintToken(sqlUser, audience, TimeSpan.FromHours(1)), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Local cluster on {stack.Cluster.Host}:{stack.Cluster.Port}, SQL user '{sqlUser}', token file {stack.TokenFile}").ConfigureAwait(false);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts PostgreSQL with a role for <paramref name="sqlUser"/> and, if named, a database it owns.</summary>
    public static async Task<LocalStack> StartPostgresAsync(string sqlUser, string? database, CancellationToken cancellationToken)
    {
        var postgres = new TestPostgres();
        try
        {
            await postgres.StartAsync(cancellationToken).ConfigureAwait(false);
            await postgres.CreateRoleAsync(sqlUser, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (database is not null)
            {
                await postgres.CreateDatabaseAsync(database, sqlUser, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await postgres.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new LocalStack(postgres, Directory.CreateTempSubdirectory("jwtsso-example-").FullName, sqlUser);
    }

    /// <summary>Starts the local identity provider.</summary>
    public async Task<LocalJwtIssuer> StartIssuerAsync(CancellationToken cancellationToken)
    {
        _issuer = await LocalJwtIssuer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return _issuer;
    }

    /// <summary>Starts the emulator in front of PostgreSQL with these cluster settings, and writes <see cref="RootCertificate"/>.</summary>
    public async Task<CockroachJwtEmulator> StartClusterAsync(IEnumerable<(string Name, string Value)> settings, CancellationToken cancellationToken)
    {
        _cluster = new CockroachJwtEmulator(Postgres);
        foreach (var (name, value) in settings)
        {
            _cluster.Settings.Set(name, value);
        }

        await _cluster.StartAsync(cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(RootCertificate, _cluster.CertificatePem, cancellationToken).ConfigureAwait(false);
        return _cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }

        if (_issuer is not null)
        {
            await _issuer.DisposeAsync().ConfigureAwait(false);
        }

        await Postgres.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
