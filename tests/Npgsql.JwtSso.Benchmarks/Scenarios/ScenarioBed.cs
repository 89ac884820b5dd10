using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// One local issuer (all vendor endpoints) and one CockroachDB emulator in front of a shared PostgreSQL, on one clock.
/// SQL over plain TCP (as in anchor-figures.md §1: SSL and GSS off), so only client-side differences show.
/// </summary>
public sealed class ScenarioBed : IAsyncDisposable
{
    public const string User = "bench";
    public const string Audience = "crdb-bench";

    private ScenarioBed(TestPostgres postgres, LocalJwtIssuer issuer, CockroachJwtEmulator emulator, TimeProvider time, ProviderKit providers)
    {
        Postgres = postgres;
        Issuer = issuer;
        Emulator = emulator;
        Time = time;
        Providers = providers;
    }

    public TestPostgres Postgres { get; }

    public LocalJwtIssuer Issuer { get; }

    public CockroachJwtEmulator Emulator { get; }

    public TimeProvider Time { get; }

    public ProviderKit Providers { get; }

    public Uri TokenEndpoint => new(Issuer.HttpUri, "token");

    public static async Task<ScenarioBed> StartAsync(ScenarioContext context, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var postgres = context.Postgres;
        var loggerFactory = context.LoggerFactory;
        var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions
        {
            TimeProvider = time,
            DefaultSubject = User,
            DefaultAudience = Audience,
            LoggerFactory = loggerFactory,
        });
        var emulator = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions
        {
            PostgresConnectionString = postgres.ConnectionString,
            TlsEnabled = false,
            AcceptSqlWithoutTls = true,
            TimeProvider = time,
            LoggerFactory = loggerFactory,
        });
        await emulator.StartAsync();
        var providers = new ProviderKit(issuer, context);
        providers.Configure(emulator.Settings);
        return new ScenarioBed(postgres, issuer, emulator, time, providers);
    }

    /// <summary>A connection string for <see cref="User"/> on the emulator: no password, pooling off, TLS and GSS off.</summary>
    public NpgsqlConnectionStringBuilder ConnectionString(bool jwtOption, string? password = null) => new(Emulator.GetConnectionString(User, password))
    {
        Pooling = false,
        SslMode = SslMode.Disable,
        GssEncryptionMode = GssEncryptionMode.Disable,
        Options = jwtOption ? "--crdb:jwt_auth_enabled=true" : null,
        Timeout = 120,
        CommandTimeout = 120,
    };

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}
