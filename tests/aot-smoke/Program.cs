using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Npgsql.JwtSso;
using Npgsql.JwtSso.AotSmoke;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;
using Npgsql.JwtSso.Redis;
using Npgsql.JwtSso.Testing;

// Native AOT smoke check (eng/check-aot.sh, run by the test suite): configuration from appsettings.json through the
// strict binder for every trim-safe package, then logins through the CockroachDB JWT-login emulator and one query each:
// the Okta instance (its tokens shared through a Redis cache) and a generic OAuth client-credentials instance, both
// against the local issuer's Okta org. The Azure instance is bound from JSON and its token source created (not called:
// that needs Entra over https). Not here: EF Core and Gcp, whose packages are not trim-safe (see their csproj).
// Prints "aot-smoke: ok" and exits 0 on success; any failure exits 1 with the reason. "--serve-stack" only serves a
// local stack (see below).
if (args is ["--serve-stack"])
{
    // For eng/measure-bot.sh: keep a local stack up (as examples/BotConsole starts it) until stdin closes, so bots can
    // be timed against it without the stack's own start-up.
    await using var stack = await Npgsql.JwtSso.Examples.LocalStack.StartAsync("bot", Console.Error, CancellationToken.None);
    Console.WriteLine($"CONNECTION={stack.ConnectionString(includeUsername: false)}");
    Console.WriteLine($"TOKEN_FILE={stack.TokenFile}");
    await Console.Out.FlushAsync();
    while (await Console.In.ReadLineAsync() is not null)
    {
    }

    return 0;
}

const string SqlUser = "aot_bot";
const string AuthorizationServer = "crdb";
const string Audience = "crdb-aot";

try
{
    await using var postgres = new TestPostgres();
    await postgres.StartAsync();
    await postgres.CreateRoleAsync(SqlUser);
    await using var redis = await SmokeRedis.StartAsync();
    await using var idp = await LocalJwtIssuer.StartAsync();
    idp.Okta.AddAuthorizationServer(AuthorizationServer, Audience, ["crdb.login"], TimeSpan.FromHours(1));

    var configuration = new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: false)
        .Build();
    var client = new LocalOktaClient { ClientId = configuration["Okta:ClientId"]!, ClientSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) };
    idp.Okta.AddClient(client);
    var issuer = LocalOktaOrg.IssuerFor(idp.HttpUri, AuthorizationServer).AbsoluteUri.TrimEnd('/');
    var identityMap = $"{issuer} {client.ClientId} {SqlUser}";

    await using var cluster = new CockroachJwtEmulator(postgres);
    cluster.Settings.Set("server.jwt_authentication.jwks", idp.JwksJson);
    cluster.Settings.Set("server.jwt_authentication.issuers.configuration", issuer);
    cluster.Settings.Set("server.jwt_authentication.audience", Audience);
    cluster.Settings.Set("server.identity_map.configuration", identityMap);
    cluster.Settings.Set("server.jwt_authentication.enabled", "true");
    await cluster.StartAsync();
    var rootCertificate = Path.Combine(Path.GetTempPath(), $"jwtsso-aot-smoke-{Guid.NewGuid():N}.crt");
    await File.WriteAllTextAsync(rootCertificate, cluster.CertificatePem);

    try
    {
        // What only this run knows (the issuer's address, the secret) joins the JSON as a second source, as the
        // environment or a secret store would.
        var run = new ConfigurationBuilder()
            .AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["JwtSso:IdentityMap"] = identityMap,
                ["Okta:Issuer"] = issuer,
                ["Okta:ClientSecret"] = client.ClientSecret,
                ["Redis:Configuration"] = redis.Configuration,
                ["Redis:Issuer"] = issuer,
                ["Generic:JwtSso:IdentityMap"] = identityMap,
                ["Generic:Source:TokenEndpoint"] = issuer + "/v1/token",
                ["Generic:Source:ClientSecret"] = client.ClientSecret,
            })
            .Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNpgsqlJwtSso(run.GetSection("JwtSso")).AddTokenSource(OktaTokenSource.Descriptor, run.GetSection("Okta")).AddRedisTokenCache(run.GetSection("Redis"));
        services.AddNpgsqlJwtSso(run.GetSection("Generic:JwtSso"), "generic").AddTokenSource(ClientCredentialsTokenSource.Descriptor, run.GetSection("Generic:Source"));
        services.AddNpgsqlJwtSso(run.GetSection("Azure:JwtSso"), "azure").AddTokenSource(AzureTokenSource.Descriptor, run.GetSection("Azure:Source"));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = cluster.Host,
            Port = cluster.Port,
            Database = "postgres",
            SslMode = SslMode.VerifyFull,
            RootCertificate = rootCertificate,
        }.ConnectionString;
        var user = await QueryUserAsync(new NpgsqlSlimDataSourceBuilder(connectionString).UseJwtSso(provider));
        var genericUser = await QueryUserAsync(new NpgsqlSlimDataSourceBuilder(connectionString).UseJwtSso(provider, "generic"));
        if (user != SqlUser || genericUser != SqlUser)
        {
            throw new InvalidOperationException($"logged in as '{user}' (Okta) and '{genericUser}' (OAuth), expected '{SqlUser}'");
        }

        var shared = await redis.CountKeysAsync(run["Redis:KeyPrefix"]!);
        if (shared == 0 || provider.GetRequiredService<JwtTokenCache>().Source is not RedisTokenCacheSource)
        {
            throw new InvalidOperationException($"the Okta instance did not share its token through Redis ({shared} keys)");
        }

        if (provider.GetRequiredKeyedService<JwtTokenSource>("generic") is not ClientCredentialsTokenSource)
        {
            throw new InvalidOperationException("the generic instance is not the OAuth client-credentials source");
        }

        var azure = provider.GetRequiredKeyedService<JwtTokenSource>("azure");
        Console.WriteLine($"aot-smoke: logged in as {user} through the emulator with Okta (token shared in Redis) and OAuth ({cluster.LoginsSucceeded} logins); source {azure.GetType().Name} bound");
        Console.WriteLine("aot-smoke: ok");
        return 0;
    }
    finally
    {
        File.Delete(rootCertificate);
    }
}
catch (Exception ex)
{
    // The library's messages never contain a token; the exception type and message say what failed.
    Console.Error.WriteLine($"aot-smoke: FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

static async Task<string?> QueryUserAsync(NpgsqlSlimDataSourceBuilder builder)
{
    await using var dataSource = await builder.BuildJwtSsoAsync();
    await using var command = dataSource.CreateCommand("SELECT current_user");
    return (string?)await command.ExecuteScalarAsync();
}
