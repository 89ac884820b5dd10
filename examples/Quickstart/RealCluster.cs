using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso.Examples.Quickstart;

/// <summary>Runs the same bot against a real cluster and identity provider.</summary>
internal static class RealCluster
{
    public static async Task<int> RunAsync(QuickstartArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var connection = arguments.Connection!;
        var settings = CockroachConnectionString.IsUrl(connection)
            ? CockroachConnectionString.ParseUrl(connection)
            : new NpgsqlConnectionStringBuilder(connection);

        var source = CreateSource(arguments);
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UseJwtSso(source, options =>
        {
            options.IdentityMap = arguments.IdentityMap;
            options.PrincipalClaim = arguments.Claim ?? options.PrincipalClaim;
        });
        await using var dataSource = await builder.BuildJwtSsoAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Connected as '{dataSource.Username}' with tokens from '{source.Name}'.").ConfigureAwait(false);
        var run = await Bot.RunAsync(dataSource, arguments.Duration, arguments.Interval, output, null, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Done: {run.Opens} logins, {run.Failures} failed, {run.Refreshes} refresh(es).").ConfigureAwait(false);
        return run.Failures == 0 ? 0 : 1;
    }

    private static JwtTokenSource CreateSource(QuickstartArguments a) => a.Source switch
    {
        "okta" => new OktaTokenSource(new OktaTokenSourceOptions
        {
            Issuer = new Uri(a.Require("issuer")),
            ClientId = a.Require("client-id"),
            ClientSecret = a.Require("client-secret"),
            Scopes = { a.Require("scope") },
        }),
        "client-credentials" => new ClientCredentialsTokenSource(new ClientCredentialsTokenSourceOptions
        {
            Issuer = new Uri(a.Require("issuer")),
            ClientId = a.Require("client-id"),
            ClientSecret = a.Require("client-secret"),
            Scopes = { a.Require("scope") },
        }),
        "file" => new FileTokenSource(a.Require("path")),
        "env" => new EnvironmentTokenSource(a.Require("variable")),
        "command" => new CommandTokenSource(new CommandTokenSourceOptions { FileName = "/bin/sh", Arguments = { "-c", a.Require("command") } }),
        "github-actions" => new GitHubActionsTokenSource(a.Require("audience")),
        _ => throw new ArgumentException($"--source '{a.Source}' is not supported here; use okta, client-credentials, file, env, command or github-actions (the crdb-jwt tool also knows gcp and azure)."),
    };
}
