using System.Text.Json;
using Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;
using Npgsql.JwtSso.Gcp;

namespace Npgsql.JwtSso.EndToEnd.Tests.Gcp;

/// <summary>
/// A GCP service account logs in: key file → real Google.Apis.Auth → fake Google token endpoint → GcpTokenSource →
/// JwtTokenCache → Npgsql password provider → emulator (issuer https://accounts.google.com, identity map for the
/// numeric <c>sub</c>) → PostgreSQL.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GcpLoginTests(EndToEndFixture fixture)
{
    private const string UniqueId = "112233445566778899";
    private const string SqlUser = "gcp_" + UniqueId;
    private const string IdentityMap = @"https://accounts.google.com /^([0-9]+)$ gcp_\1";

    [EmulatorFact]
    public async Task DataSource_GcpServiceAccountWithIdentityMap_SelectsCurrentUserWithOneTokenFetch()
    {
        var account = fixture.Issuer.Gcp.AddServiceAccount("crdb-e2e@npgsql-jwtsso-test.iam.gserviceaccount.com", UniqueId);
        var keyJson = fixture.Issuer.Gcp.CreateServiceAccountKeyJson(account);
        await fixture.CreateUserAsync(SqlUser);
        using var settings = ConfigureGoogleIssuer(IdentityMap);
        var fetchesBefore = fixture.Issuer.RequestCount(IssuerEndpointNames.GcpOAuthToken);

        await using var cache = new JwtTokenCache(new GcpTokenSource(new GcpTokenSourceOptions { Audience = fixture.Audience, CredentialJson = keyJson }));
        var builder = new NpgsqlDataSourceBuilder(fixture.CreateConnectionStringBuilder(SqlUser).ConnectionString);
        builder.UsePasswordProvider(_ => cache.GetToken().Value, async (_, ct) => (await cache.GetTokenAsync(ct)).Value);
        await using var dataSource = builder.Build();

        // Several physical connections (held open at once) and pooled reuse.
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                connections.Add(await dataSource.OpenConnectionAsync());
            }

            foreach (var connection in connections)
            {
                await using var command = new NpgsqlCommand("select current_user", connection);
                Assert.Equal(SqlUser, await command.ExecuteScalarAsync());
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        await using (var command = dataSource.CreateCommand("select current_user"))
        {
            Assert.Equal(SqlUser, await command.ExecuteScalarAsync());
        }

        Assert.True(cache.TryGetToken(out var token));
        Assert.Equal("https://accounts.google.com", token.Issuer);
        Assert.Equal(UniqueId, token.Subject);
        Assert.Equal(1, fixture.Issuer.RequestCount(IssuerEndpointNames.GcpOAuthToken) - fetchesBefore);
    }

    [EmulatorFact]
    public async Task UseJwtSso_GcpTokenSourceWithIdentityMap_SelectsCurrentUser()
    {
        var account = fixture.Issuer.Gcp.AddServiceAccount("crdb-e2e@npgsql-jwtsso-test.iam.gserviceaccount.com", UniqueId);
        var keyJson = fixture.Issuer.Gcp.CreateServiceAccountKeyJson(account);
        await fixture.CreateUserAsync(SqlUser);
        using var settings = ConfigureGoogleIssuer(IdentityMap);

        var builder = new NpgsqlDataSourceBuilder(fixture.CreateConnectionStringBuilder(SqlUser, includeJwtOption: false).ConnectionString);
        builder.UseJwtSso(
            new GcpTokenSource(new GcpTokenSourceOptions { Audience = fixture.Audience, CredentialJson = keyJson }),
            options => options.IdentityMap = IdentityMap); // the username is checked against the token through the same map
        await using var dataSource = builder.BuildJwtSso();

        await using var command = dataSource.CreateCommand("select current_user");

        Assert.Equal(SqlUser, await command.ExecuteScalarAsync());
    }

    [EmulatorFact]
    public async Task DataSource_GcpServiceAccountWithoutIdentityMap_RejectedAsInvalidPrincipal()
    {
        var account = fixture.Issuer.Gcp.AddServiceAccount("crdb-e2e@npgsql-jwtsso-test.iam.gserviceaccount.com", UniqueId);
        var keyJson = fixture.Issuer.Gcp.CreateServiceAccountKeyJson(account);
        await fixture.CreateUserAsync(SqlUser);
        using var settings = ConfigureGoogleIssuer(identityMap: string.Empty);

        await using var cache = new JwtTokenCache(new GcpTokenSource(new GcpTokenSourceOptions { Audience = fixture.Audience, CredentialJson = keyJson }));
        var csb = fixture.CreateConnectionStringBuilder(SqlUser);
        csb.Pooling = false;
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        builder.UsePasswordProvider(_ => cache.GetToken().Value, async (_, ct) => (await cache.GetTokenAsync(ct)).Value);
        await using var dataSource = builder.Build();

        var ex = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal("28000", ex.SqlState);
        Assert.Equal("JWT authentication: invalid principal", ex.MessageText);
        Assert.Equal($"token issued for [{UniqueId}] and login was for {SqlUser}", ex.Detail);
    }

    /// <summary>Adds Google's issuer and the identity map to the emulator; disposing restores the previous settings.</summary>
    private SettingsScope ConfigureGoogleIssuer(string identityMap)
    {
        var settings = fixture.Emulator!.Settings;
        var scope = new SettingsScope(settings, settings.IssuersConfiguration, settings.IdentityMapConfiguration);
        settings.IssuersConfiguration = JsonSerializer.Serialize(new[] { fixture.Issuer.Issuer, "https://accounts.google.com" });
        settings.IdentityMapConfiguration = identityMap;
        return scope;
    }

    private sealed class SettingsScope(CockroachJwtSettings settings, string issuers, string identityMap) : IDisposable
    {
        public void Dispose()
        {
            settings.IssuersConfiguration = issuers;
            settings.IdentityMapConfiguration = identityMap;
        }
    }
}
