using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// Per test: a <see cref="LocalJwtIssuer"/> and a <see cref="CockroachJwtEmulator"/> on one clock (a
/// <see cref="FakeTimeProvider"/> started at the real time, so the emulator's TLS certificate stays valid), in front of
/// the shared PostgreSQL. Token sources fetch from the issuer's <c>POST /token</c> endpoint, whose calls are the IdP
/// calls the tests count.
/// </summary>
public sealed class EfTestBed : IAsyncDisposable
{
    private readonly string _rootCertificatePath = Path.Combine(Path.GetTempPath(), $"jwtsso-ef-root-{Guid.NewGuid():N}.crt");
    private readonly HttpClient _http = new();
    private readonly TestPostgres _postgres;

    private EfTestBed(TestPostgres postgres, FakeTimeProvider time, LocalJwtIssuer issuer, CockroachJwtEmulator emulator)
    {
        _postgres = postgres;
        Time = time;
        Issuer = issuer;
        Emulator = emulator;
    }

    public FakeTimeProvider Time { get; }

    public LocalJwtIssuer Issuer { get; }

    public CockroachJwtEmulator Emulator { get; }

    /// <summary>Gets the number of tokens fetched from the identity provider so far.</summary>
    public int IdpCalls => Issuer.RequestCount(IssuerEndpointNames.Token);

    public static async Task<EfTestBed> StartAsync(TestPostgres postgres, TimeSpan? tokenLifetime = null)
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = time, TokenLifetime = tokenLifetime ?? TimeSpan.FromHours(1) });
        var emulator = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions { PostgresConnectionString = postgres.ConnectionString, TimeProvider = time });
        emulator.Settings.Set("server.jwt_authentication.jwks", issuer.JwksJson);
        emulator.Settings.Set("server.jwt_authentication.issuers.configuration", issuer.Issuer);
        emulator.Settings.Set("server.jwt_authentication.audience", issuer.Options.DefaultAudience);
        emulator.Settings.Set("server.jwt_authentication.jwks_auto_fetch.enabled", "false");
        emulator.Settings.Set("server.jwt_authentication.enabled", "true");
        await emulator.StartAsync();
        var bed = new EfTestBed(postgres, time, issuer, emulator);
        await File.WriteAllTextAsync(bed._rootCertificatePath, emulator.CertificatePem);
        return bed;
    }

    /// <summary>Creates a SQL user and a database it owns (so it may create tables in its public schema on PostgreSQL 15).</summary>
    public async Task<string> CreateUserDatabaseAsync(string user)
    {
        await _postgres.CreateRoleAsync(user);
        var database = $"ef_{user}_{Guid.NewGuid():N}"[..40];
        await _postgres.CreateDatabaseAsync(database, owner: user);
        return database;
    }

    /// <summary>A connection string with no Username and no Password (the username comes from the token).</summary>
    public string ConnectionString(string database, bool pooling = true) => new NpgsqlConnectionStringBuilder
    {
        Host = Emulator.Host,
        Port = Emulator.Port,
        Database = database,
        SslMode = SslMode.VerifyFull,
        RootCertificate = _rootCertificatePath,
        Pooling = pooling,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>Fetches a token for <paramref name="subject"/> from the issuer's token endpoint, as a provider source would.</summary>
    public async ValueTask<string> FetchTokenAsync(string subject, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["subject"] = subject, ["audience"] = Issuer.Options.DefaultAudience });
        using var response = await _http.PostAsync(new Uri(Issuer.HttpUri, "/token"), form, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        return body!.AccessToken;
    }

    /// <summary>Registers a JWT SSO instance for <paramref name="user"/> (fake clock, tokens from the issuer) and its data source, with its own connection options when given.</summary>
    public IJwtSsoBuilder AddInstance(IServiceCollection services, string user, string database, string? name = null, bool pooling = true, Action<JwtSsoConnectionOptions>? connection = null)
    {
        services.AddSingleton<TimeProvider>(Time);
        var builder = name is null ? services.AddNpgsqlJwtSso() : services.AddNpgsqlJwtSso(name);
        return builder.AddDelegate(ct => FetchTokenAsync(user, ct), "local-issuer")
            .AddDataSource(ConnectionString(database, pooling), configureConnection: connection);
    }

    /// <summary>Rotates the issuer's signing key and publishes only the new key to the cluster: cached tokens are now rejected.</summary>
    public void RotateClusterKeys()
    {
        var old = Issuer.DefaultKey;
        var next = LocalSigningKey.CreateRsa($"rsa-{Guid.NewGuid():N}");
        Issuer.AddKey(next);
        Issuer.DefaultKey = next;
        Issuer.RemoveKey(old.KeyId)?.Dispose();
        Emulator.Settings.Set("server.jwt_authentication.jwks", Issuer.JwksJson);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Emulator.DisposeAsync();
        await Issuer.DisposeAsync();
        File.Delete(_rootCertificatePath);
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken);
}
