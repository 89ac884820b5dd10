namespace Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Started once per test run and shared by every end-to-end test: a <see cref="LocalJwtIssuer"/> plus either
/// <see cref="TestPostgres"/> behind a <see cref="CockroachJwtEmulator"/> (default) or, when
/// <c>JWTSSO_TEST_COCKROACH_URL</c> is set, a real CockroachDB cluster whose <c>server.jwt_authentication.*</c>
/// settings are pointed at the local issuer (static JWKS, so the cluster never has to reach this machine).
/// </summary>
/// <remarks>
/// Tests obtain tokens from <see cref="Issuer"/> (subject = SQL user, audience = <see cref="Audience"/>) and connect
/// with <see cref="CreateConnectionStringBuilder"/>. TLS is always on (VerifyFull against the emulator's certificate).
/// </remarks>
public sealed class EndToEndFixture : IAsyncLifetime
{
    /// <summary>The SQL user every test may log in as.</summary>
    public const string DefaultUser = "e2e_user";

    private string? _rootCertificatePath;
    private NpgsqlConnectionStringBuilder? _cluster;

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    /// <summary>Gets the emulator, or <see langword="null"/> against a real cluster.</summary>
    public CockroachJwtEmulator? Emulator { get; private set; }

    /// <summary>Gets the PostgreSQL server behind the emulator, or <see langword="null"/> against a real cluster.</summary>
    public TestPostgres? Postgres { get; private set; }

    public bool IsRealCluster => _cluster is not null;

    /// <summary>Gets the audience the target accepts (the issuer's default audience).</summary>
    public string Audience => Issuer.Options.DefaultAudience;

    public async Task InitializeAsync()
    {
        Issuer = await LocalJwtIssuer.StartAsync();
        if (EndToEndTarget.CockroachUrl is { } url)
        {
            _cluster = CockroachConnectionString.ParseUrl(url);
            await ConfigureClusterAsync();
        }
        else
        {
            Postgres = new TestPostgres();
            await Postgres.StartAsync();
            Emulator = new CockroachJwtEmulator(Postgres);
            ConfigureEmulator(Emulator.Settings);
            await Emulator.StartAsync();
            _rootCertificatePath = Path.Combine(Path.GetTempPath(), $"jwtsso-e2e-root-{Guid.NewGuid():N}.crt");
            await File.WriteAllTextAsync(_rootCertificatePath, Emulator.CertificatePem);
        }

        await CreateUserAsync(DefaultUser);
    }

    /// <summary>Mints a token for a SQL user (subject = user, audience = <see cref="Audience"/>, 1 h lifetime).</summary>
    public string MintToken(string user = DefaultUser) => Issuer.MintToken(user, Audience, TimeSpan.FromHours(1));

    /// <summary>Creates a SQL user with LOGIN unless it exists.</summary>
    public async Task CreateUserAsync(string user)
    {
        if (Postgres is not null)
        {
            await Postgres.CreateRoleAsync(user);
            return;
        }

        await ExecuteOnClusterAsync($"CREATE USER IF NOT EXISTS \"{user.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
    }

    /// <summary>
    /// A connection string for <paramref name="user"/> on the target: host/port, TLS (VerifyFull with the emulator's
    /// certificate, or the URL's TLS settings), GSS encryption off, no password.
    /// </summary>
    /// <param name="user">The SQL user.</param>
    /// <param name="includeJwtOption">Whether to put <c>--crdb:jwt_auth_enabled=true</c> into Options (leave it out when the code under test adds it).</param>
    public NpgsqlConnectionStringBuilder CreateConnectionStringBuilder(string user = DefaultUser, bool includeJwtOption = true)
    {
        NpgsqlConnectionStringBuilder builder;
        if (_cluster is not null)
        {
            builder = new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { Username = user, SslCertificate = null, SslKey = null };
        }
        else
        {
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = Emulator!.Host,
                Port = Emulator.Port,
                Database = "postgres",
                Username = user,
                SslMode = SslMode.VerifyFull,
                RootCertificate = _rootCertificatePath,
                GssEncryptionMode = GssEncryptionMode.Disable,
            };
        }

        builder.Options = includeJwtOption ? "--crdb:jwt_auth_enabled=true" : null;
        builder.IncludeErrorDetail = true;
        return builder;
    }

    public async Task DisposeAsync()
    {
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        await Issuer.DisposeAsync();
        if (_rootCertificatePath is not null)
        {
            File.Delete(_rootCertificatePath);
        }
    }

    private void ConfigureEmulator(CockroachJwtSettings settings)
    {
        foreach (var (name, value) in ClusterSettings())
        {
            settings.Set(name, value);
        }
    }

    private async Task ConfigureClusterAsync()
    {
        foreach (var (name, value) in ClusterSettings())
        {
            await ExecuteOnClusterAsync($"SET CLUSTER SETTING {name} = '{value.Replace("'", "''", StringComparison.Ordinal)}'");
        }
    }

    /// <summary>The same settings for the emulator and a real cluster.</summary>
    private IEnumerable<(string Name, string Value)> ClusterSettings() =>
    [
        ("server.jwt_authentication.jwks", Issuer.JwksJson),
        ("server.jwt_authentication.issuers.configuration", Issuer.Issuer),
        ("server.jwt_authentication.audience", Audience),
        ("server.jwt_authentication.jwks_auto_fetch.enabled", "false"),
        ("server.jwt_authentication.enabled", "true"),
    ];

    private async Task ExecuteOnClusterAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_cluster!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "end-to-end";
}
