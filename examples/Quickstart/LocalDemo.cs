using Npgsql.JwtSso.Okta;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Examples.Quickstart;

/// <summary>Runs the bot against a local stand-in for everything: PostgreSQL, the CockroachDB JWT login, and Okta.</summary>
internal static class LocalDemo
{
    private const string SqlUser = "bot";
    private const string Database = "botdb";
    private const string AuthorizationServerId = "crdb";
    private const string Audience = "crdb-demo";
    private const string Scope = "crdb.login";

    public static async Task<int> RunAsync(QuickstartArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("Npgsql.JwtSso quickstart: a bot logs in to CockroachDB with a JWT from Okta.").ConfigureAwait(false);
        await output.WriteLineAsync("Everything runs on this machine: PostgreSQL behind a CockroachDB JWT-login emulator, and an emulated Okta org.\n").ConfigureAwait(false);

        await output.WriteLineAsync("1. Starting a throwaway PostgreSQL…").ConfigureAwait(false);
        await using var stack = await LocalStack.StartPostgresAsync(SqlUser, Database, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"   PostgreSQL on {stack.Postgres.Host}:{stack.Postgres.Port}, SQL user '{SqlUser}', database '{Database}'").ConfigureAwait(false);

        await output.WriteLineAsync("2. Starting the identity provider (an emulated Okta custom authorization server)…").ConfigureAwait(false);
        var idp = await stack.StartIssuerAsync(cancellationToken).ConfigureAwait(false);
        idp.Okta.AddAuthorizationServer(AuthorizationServerId, Audience, [Scope], arguments.TokenLifetime);
        var app = new LocalOktaClient { ClientId = "0oa1quickstartbot", ClientSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) };
        idp.Okta.AddClient(app);
        var oktaIssuer = LocalOktaOrg.IssuerFor(idp.HttpUri, AuthorizationServerId);
        await output.WriteLineAsync($"   issuer {oktaIssuer}, service app {app.ClientId}, tokens live {arguments.TokenLifetime.TotalSeconds:0} s").ConfigureAwait(false);

        // The identity map is the cluster's own setting; the library reads the same text to derive the SQL user.
        var identityMap = $"{oktaIssuer.AbsoluteUri.TrimEnd('/')} {app.ClientId} {SqlUser}";
        await output.WriteLineAsync("3. Starting the CockroachDB JWT-login emulator (TLS) with these cluster settings:").ConfigureAwait(false);
        (string Name, string Value)[] settings =
        [
            ("server.jwt_authentication.jwks", idp.JwksJson),
            ("server.jwt_authentication.issuers.configuration", oktaIssuer.AbsoluteUri.TrimEnd('/')),
            ("server.jwt_authentication.audience", Audience),
            ("server.identity_map.configuration", identityMap),
            ("server.jwt_authentication.enabled", "true"),
        ];
        foreach (var (name, value) in settings)
        {
            var shown = name.EndsWith(".jwks", StringComparison.Ordinal) ? "'{\"keys\":[…]}'" : $"'{value}'";
            await output.WriteLineAsync($"   SET CLUSTER SETTING {name} = {shown};").ConfigureAwait(false);
        }

        var cluster = await stack.StartClusterAsync(settings, cancellationToken).ConfigureAwait(false);

        // No Username and no Password: the token is the password, and the user comes from the token via the identity map.
        // No pooling: every open is a physical login, to show that each one is served from the token cache.
        var connectionString = new NpgsqlConnectionStringBuilder(stack.ConnectionString(includeUsername: false, Database)) { Pooling = false }.ConnectionString;

        var source = new OktaTokenSource(new OktaTokenSourceOptions
        {
            Issuer = oktaIssuer,
            ClientId = app.ClientId,
            ClientSecret = app.ClientSecret,
            Scopes = { Scope },
        });

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseJwtSso(source, options =>
        {
            options.IdentityMap = identityMap;
            options.SafetyMargin = arguments.TokenLifetime / 6; // real tokens live an hour; the default margin is 60 s
        });
        await using var dataSource = await builder.BuildJwtSsoAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"4. Data source ready: SQL user '{dataSource.Username}' derived from the token's subject through the identity map.\n").ConfigureAwait(false);

        var run = await Bot.RunAsync(dataSource, arguments.Duration, arguments.Interval, output, () => idp.RequestCount(IssuerEndpointNames.OktaToken), cancellationToken).ConfigureAwait(false);

        var requests = idp.RequestCount(IssuerEndpointNames.OktaToken);
        await output.WriteLineAsync($"\nDone: {run.Opens} physical logins, {run.Failures} failed, {requests} token requests to the identity provider, {run.Refreshes} background refresh(es) seen.").ConfigureAwait(false);
        await output.WriteLineAsync($"The cluster saw {cluster.LoginsSucceeded} successful and {cluster.LoginsRejected} rejected JWT logins. Stopping.").ConfigureAwait(false);
        return run.Failures == 0 && run.Opens > 0 ? 0 : 1;
    }
}
