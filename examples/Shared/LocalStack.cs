using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Examples;

/// <summary>
/// What an example runs against when no cluster is configured: a throwaway PostgreSQL behind the CockroachDB JWT-login
/// emulator (TLS), a local identity provider, and a token file for <see cref="SqlUser"/> (as a projected token would be).
/// </summary>
internal sealed class LocalStack : IAsyncDisposable
{
    private readonly TestPostgres _postgres;
    private readonly LocalJwtIssuer _issuer;
    private readonly CockroachJwtEmulator _cluster;
    private readonly string _directory;

    private LocalStack(TestPostgres postgres, LocalJwtIssuer issuer, CockroachJwtEmulator cluster, string directory, string sqlUser)
    {
        _postgres = postgres;
        _issuer = issuer;
        _cluster = cluster;
        _directory = directory;
        SqlUser = sqlUser;
    }

    public string SqlUser { get; }

    public string TokenFile => Path.Combine(_directory, "token.jwt");

    /// <summary>Gets a VerifyFull connection string to the emulator, with no password (the token is the password).</summary>
    public string ConnectionString(bool includeUsername) => new NpgsqlConnectionStringBuilder
    {
        Host = _cluster.Host,
        Port = _cluster.Port,
        Database = "postgres",
        Username = includeUsername ? SqlUser : null,
        SslMode = SslMode.VerifyFull,
        RootCertificate = Path.Combine(_directory, "root.crt"),
    }.ConnectionString;

    public static async Task<LocalStack> StartAsync(string sqlUser, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("No cluster configured: starting a local stack (PostgreSQL behind the CockroachDB JWT-login emulator, a local identity provider).").ConfigureAwait(false);
        var postgres = new TestPostgres();
        LocalJwtIssuer? issuer = null;
        CockroachJwtEmulator? cluster = null;
        try
        {
            await postgres.StartAsync(cancellationToken).ConfigureAwait(false);
            await postgres.CreateRoleAsync(sqlUser, cancellationToken: cancellationToken).ConfigureAwait(false);
            issuer = await LocalJwtIssuer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            cluster = new CockroachJwtEmulator(postgres);
            var audience = issuer.Options.DefaultAudience;
            cluster.Settings.Set("server.jwt_authentication.jwks", issuer.JwksJson);
            cluster.Settings.Set("server.jwt_authentication.issuers.configuration", issuer.Issuer);
            cluster.Settings.Set("server.jwt_authentication.audience", audience);
            cluster.Settings.Set("server.jwt_authentication.enabled", "true");
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);

            var directory = Directory.CreateTempSubdirectory("jwtsso-example-").FullName;
            var stack = new LocalStack(postgres, issuer, cluster, directory, sqlUser);
            await File.WriteAllTextAsync(Path.Combine(directory, "root.crt"), cluster.CertificatePem, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(stack.TokenFile, issuer.MintToken(sqlUser, audience, TimeSpan.FromHours(1)), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Local cluster on {cluster.Host}:{cluster.Port}, SQL user '{sqlUser}', token file {stack.TokenFile}").ConfigureAwait(false);
            return stack;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
            }

            if (issuer is not null)
            {
                await issuer.DisposeAsync().ConfigureAwait(false);
            }

            await postgres.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync().ConfigureAwait(false);
        await _issuer.DisposeAsync().ConfigureAwait(false);
        await _postgres.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
