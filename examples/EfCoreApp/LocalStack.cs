using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Examples.EfCoreApp;

/// <summary>
/// <c>dotnet run --project examples/EfCoreApp -- --local</c>: starts a throwaway PostgreSQL, a local identity provider
/// and the CockroachDB JWT-login emulator, writes a token file, then runs the app twice against them with the same
/// configuration keys a deployment would set (connection string and token file path).
/// </summary>
internal static class LocalStack
{
    public const string Flag = "--local";
    private const string SqlUser = "bot";
    private const string Database = "botdb";

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var postgres = new TestPostgres();
        await postgres.StartAsync(cancellationToken);
        await postgres.CreateRoleAsync(SqlUser, cancellationToken: cancellationToken);
        await postgres.CreateDatabaseAsync(Database, SqlUser, cancellationToken);
        await using var idp = await LocalJwtIssuer.StartAsync(cancellationToken: cancellationToken);
        await using var cluster = new CockroachJwtEmulator(postgres);
        cluster.Settings.Set("server.jwt_authentication.jwks", idp.JwksJson);
        cluster.Settings.Set("server.jwt_authentication.issuers.configuration", idp.Issuer);
        cluster.Settings.Set("server.jwt_authentication.audience", idp.Options.DefaultAudience);
        cluster.Settings.Set("server.jwt_authentication.enabled", "true");
        await cluster.StartAsync(cancellationToken);
        await output.WriteLineAsync($"Local stack: PostgreSQL {postgres.Host}:{postgres.Port} behind the cluster emulator {cluster.Host}:{cluster.Port}, issuer {idp.Issuer}");

        var directory = Directory.CreateTempSubdirectory("jwtsso-efcoreapp-");
        try
        {
            var rootCertificate = Path.Combine(directory.FullName, "ca.crt");
            var tokenFile = Path.Combine(directory.FullName, "token.jwt");
            await File.WriteAllTextAsync(rootCertificate, cluster.CertificatePem, cancellationToken);
            await File.WriteAllTextAsync(tokenFile, idp.MintToken(SqlUser, idp.Options.DefaultAudience, TimeSpan.FromHours(1)), cancellationToken);
            var connectionString = $"Host={cluster.Host};Port={cluster.Port};Database={Database};SSL Mode=VerifyFull;Root Certificate={rootCertificate}";
            string[] args = ["--contentRoot", AppContext.BaseDirectory, $"--ConnectionStrings:Cockroach={connectionString}", $"--JwtSso:File:Path={tokenFile}"];
            for (var run = 1; run <= 2; run++)
            {
                if (await Program.RunAsync(args, output, cancellationToken) != 0)
                {
                    return 1;
                }
            }

            await output.WriteLineAsync($"The cluster saw {cluster.LoginsSucceeded} JWT logins and {cluster.LoginsRejected} rejections.");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
