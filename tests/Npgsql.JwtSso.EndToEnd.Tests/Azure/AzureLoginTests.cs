using System.Text.Json;
using Azure.Core.Pipeline;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

namespace Npgsql.JwtSso.EndToEnd.Tests.Azure;

/// <summary>
/// An Entra access token from the real Azure.Identity code path (fake tenant on the local issuer) → JwtTokenCache →
/// Npgsql password provider → CockroachDB emulator (Entra issuer, cluster app audience, identity map for the
/// service principal's object id) → PostgreSQL.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AzureLoginTests(EndToEndFixture fixture)
{
    private const string ClusterAppUri = "api://crdb-e2e-cluster";
    private const string ClusterAppId = "c1a5e7e0-0000-4000-8000-0000000000e2";
    private const string ClientId = "a2a2a2a2-0000-4000-8000-0000000000e2";
    private const string ObjectId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"; // starts with a digit: not a valid SQL user name
    private const string Secret = "e2e-client-secret-value";
    private const string SqlUser = "azure_reporting";

    [EmulatorFact]
    public async Task ClientSecretToken_IdentityMapForObjectId_LogsInAsMappedUser()
    {
        var entra = fixture.Issuer.Entra;
        entra.AddResource(ClusterAppUri, ClusterAppId);
        entra.AddClientSecret(ClientId, Secret, ObjectId);
        await fixture.CreateUserAsync(SqlUser);
        var settings = fixture.Emulator!.Settings;
        var (issuers, audiences, map) = (settings.IssuersConfiguration, settings.Audience, settings.IdentityMapConfiguration);
        settings.Set("server.jwt_authentication.issuers.configuration", JsonSerializer.Serialize(new[] { fixture.Issuer.Issuer, entra.V1Issuer, entra.V2Issuer }));
        settings.Set("server.jwt_authentication.audience", JsonSerializer.Serialize(new[] { fixture.Audience, ClusterAppUri, ClusterAppId }));
        settings.Set("server.identity_map.configuration", $"{entra.V1Issuer} {ObjectId} {SqlUser}\n{entra.V2Issuer} {ObjectId} {SqlUser}");
        var before = fixture.Issuer.RequestCount(IssuerEndpointNames.EntraToken);
        try
        {
            var options = new AzureTokenSourceOptions
            {
                Scope = ClusterAppUri + "/.default",
                CredentialKind = AzureCredentialKind.ClientSecret,
                TenantId = entra.TenantId,
                ClientId = ClientId,
                ClientSecret = Secret,
                AuthorityHost = fixture.Issuer.HttpsUri,
                DisableInstanceDiscovery = true,
                ConfigureCredentialOptions = o =>
                {
                    o.Transport = new HttpClientTransport(fixture.Issuer.CreateHttpClientHandler());
                    o.Retry.MaxRetries = 0;
                },
            };
            options.ExpectedAudiences.Add(ClusterAppUri);
            options.ExpectedIssuers.Add(entra.V1Issuer);
            await using var cache = new JwtTokenCache(new AzureTokenSource(options));
            var builder = fixture.CreateConnectionStringBuilder(SqlUser);
            builder.Pooling = false;
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString);
            dataSourceBuilder.UsePasswordProvider(
                _ => cache.GetToken().Value,
                async (_, cancellationToken) => (await cache.GetTokenAsync(cancellationToken)).Value);
            await using var dataSource = dataSourceBuilder.Build();

            await using var command = dataSource.CreateCommand("select current_user");
            var first = await command.ExecuteScalarAsync();
            var second = await command.ExecuteScalarAsync();

            Assert.Equal(SqlUser, first);
            Assert.Equal(SqlUser, second);
            Assert.Equal(1, fixture.Issuer.RequestCount(IssuerEndpointNames.EntraToken) - before); // two physical opens, one Entra request
            Assert.True(cache.TryGetToken(out var token));
            Assert.Equal(ObjectId, token.Subject);
        }
        finally
        {
            settings.Set("server.jwt_authentication.issuers.configuration", issuers);
            settings.Set("server.jwt_authentication.audience", audiences);
            settings.Set("server.identity_map.configuration", map);
        }
    }

    [EmulatorFact]
    public async Task ObjectIdWithoutIdentityMap_ClusterRejectsTheRawObjectId()
    {
        var entra = fixture.Issuer.Entra;
        entra.AddResource(ClusterAppUri, ClusterAppId);
        entra.AddClientSecret(ClientId, Secret, ObjectId);
        await fixture.CreateUserAsync(SqlUser);
        var settings = fixture.Emulator!.Settings;
        var (issuers, audiences) = (settings.IssuersConfiguration, settings.Audience);
        settings.Set("server.jwt_authentication.issuers.configuration", JsonSerializer.Serialize(new[] { fixture.Issuer.Issuer, entra.V1Issuer }));
        settings.Set("server.jwt_authentication.audience", JsonSerializer.Serialize(new[] { fixture.Audience, ClusterAppUri }));
        try
        {
            var source = new AzureTokenSource(new AzureTokenSourceOptions
            {
                Scope = ClusterAppUri + "/.default",
                CredentialKind = AzureCredentialKind.ClientSecret,
                TenantId = entra.TenantId,
                ClientId = ClientId,
                ClientSecret = Secret,
                AuthorityHost = fixture.Issuer.HttpsUri,
                DisableInstanceDiscovery = true,
                ConfigureCredentialOptions = o => o.Transport = new HttpClientTransport(fixture.Issuer.CreateHttpClientHandler()),
            });
            var token = await source.GetTokenAsync(CancellationToken.None);
            var builder = fixture.CreateConnectionStringBuilder(SqlUser);
            builder.Pooling = false;
            builder.Password = token.Value;
            await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);

            var ex = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.OpenConnectionAsync());

            Assert.Equal("28000", ex.SqlState);
            Assert.Equal("JWT authentication: invalid principal", ex.MessageText);
            Assert.Equal($"token issued for [{ObjectId}] and login was for {SqlUser}", ex.Detail);
        }
        finally
        {
            settings.Set("server.jwt_authentication.issuers.configuration", issuers);
            settings.Set("server.jwt_authentication.audience", audiences);
        }
    }
}
