using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Gcp;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso.Examples.Quickstart;

/// <summary>The README's provider snippets, kept here so the compiler checks them. Not run by the demo.</summary>
internal static class ReadmeSnippets
{
    public static async Task<NpgsqlConnection> QuickStartAsync()
    {
        // README: quick-start
        var builder = new NpgsqlDataSourceBuilder("Host=crdb.example.com;Port=26257;Database=app;SSL Mode=VerifyFull");
        builder.UseJwtSso(new FileTokenSource("/var/run/secrets/tokens/crdb")); // or one of the provider sources below
        await using var dataSource = await builder.BuildJwtSsoAsync();          // first token fetched, SQL user derived
        return await dataSource.OpenConnectionAsync();
        // README: end
    }

    public static void Providers(NpgsqlDataSourceBuilder builder, string oktaSecret)
    {
        // README: providers
        // Google Cloud (Npgsql.JwtSso.Gcp): ID tokens of the service account the app runs as
        builder.UseJwtSso(new GcpTokenSource(new GcpTokenSourceOptions { Audience = "https://crdb.example.com" }));

        // Microsoft Entra (Npgsql.JwtSso.Azure): managed identity by default; workload identity, secret, certificate
        builder.UseJwtSso(new AzureTokenSource(new AzureTokenSourceOptions { Scope = "api://11111111-2222-3333-4444-555555555555/.default" }));

        // Okta (Npgsql.JwtSso.Okta): a service app on a custom authorization server
        builder.UseJwtSso(new OktaTokenSource(new OktaTokenSourceOptions
        {
            Domain = "acme.okta.com",
            AuthorizationServerId = "aus1crdb",
            ClientId = "0oa1bot",
            ClientSecret = oktaSecret,
            Scopes = { "crdb.login" },
        }));

        // Kubernetes, Vault agent, CI: FileTokenSource, EnvironmentTokenSource, CommandTokenSource, GitHubActionsTokenSource
        builder.UseJwtSso(new GitHubActionsTokenSource(audience: "crdb-migrations"));
        // README: end
    }
}
