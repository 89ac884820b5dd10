using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.EndToEnd.Tests.Okta;

/// <summary>
/// Okta service app → <see cref="OktaTokenSource"/> (private_key_jwt) → <see cref="JwtTokenCache"/> → Npgsql password
/// provider → CockroachDB emulator (issuer, audience, identity map for the client id) → real PostgreSQL.
/// </summary>
public sealed class OktaLoginTests(OktaLoginFixture fixture) : IClassFixture<OktaLoginFixture>
{
    [Fact]
    public async Task Open_OktaServiceAppToken_LogsInAsMappedUserWithOneTokenRequest()
    {
        using var rsa = RSA.Create(2048);
        var clientId = "0oa" + Guid.NewGuid().ToString("N")[..17];
        fixture.Issuer.Okta.AddClient(new LocalOktaClient
        {
            ClientId = clientId,
            AuthenticationMethod = "private_key_jwt",
            PublicKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "app-key" },
        });
        var issuer = LocalOktaOrg.IssuerFor(fixture.Issuer.HttpUri, LocalOktaOrg.DefaultServerId).AbsoluteUri;
        var settings = fixture.Emulator.Settings;
        settings.Reset();
        settings.Enabled = true;
        settings.JwksAutoFetchEnabled = true; // keys come from the custom server's discovery document and /v1/keys
        settings.IssuersConfiguration = issuer;
        settings.Audience = "api://default";
        settings.IdentityMapConfiguration = $"{issuer} {clientId} {OktaLoginFixture.SqlUser}";
        fixture.Emulator.ResetCounters();

        var options = new OktaTokenSourceOptions
        {
            Issuer = new Uri(issuer),
            ClientId = clientId,
            AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt,
            PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(),
            PrivateKeyId = "app-key",
        };
        options.Scopes.Add("crdb.login");
        await using var cache = new JwtTokenCache(new OktaTokenSource(options));
        var before = fixture.Issuer.RequestCount(IssuerEndpointNames.OktaToken);

        var connectionString = new NpgsqlConnectionStringBuilder(fixture.Emulator.GetConnectionString(OktaLoginFixture.SqlUser)) { Pooling = false, Timeout = 60 }.ConnectionString;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UsePasswordProvider(_ => cache.GetToken().Value, async (_, ct) => (await cache.GetTokenAsync(ct)).Value);
        await using var dataSource = builder.Build();

        var users = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("select current_user", connection);
            users.Add((string)(await command.ExecuteScalarAsync())!);
        }

        Assert.All(users, u => Assert.Equal(OktaLoginFixture.SqlUser, u));
        Assert.Equal(3, fixture.Emulator.LoginsSucceeded);
        Assert.Equal(0, fixture.Emulator.LoginsRejected);
        Assert.Equal(1, fixture.Issuer.RequestCount(IssuerEndpointNames.OktaToken) - before);
        Assert.True(fixture.Issuer.RequestCount(IssuerEndpointNames.OktaKeys) > 0);
    }

    [Fact]
    public async Task Open_ClusterWithoutIdentityMapLine_RejectedBecauseSubIsClientId()
    {
        var clientId = "0oa" + Guid.NewGuid().ToString("N")[..17];
        fixture.Issuer.Okta.AddClient(new LocalOktaClient { ClientId = clientId, ClientSecret = "secret-" + clientId });
        var issuer = LocalOktaOrg.IssuerFor(fixture.Issuer.HttpUri, LocalOktaOrg.DefaultServerId).AbsoluteUri;
        var settings = fixture.Emulator.Settings;
        settings.Reset();
        settings.Enabled = true;
        settings.Jwks = fixture.Issuer.JwksJson;
        settings.IssuersConfiguration = issuer;
        settings.Audience = "api://default";
        fixture.Emulator.ResetCounters();
        var options = new OktaTokenSourceOptions { Issuer = new Uri(issuer), ClientId = clientId, ClientSecret = "secret-" + clientId };
        options.Scopes.Add("crdb.login");
        await using var cache = new JwtTokenCache(new OktaTokenSource(options));
        var token = await cache.GetTokenAsync();

        var connectionString = fixture.Emulator.GetConnectionString(OktaLoginFixture.SqlUser, token.Value);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("28000", e.SqlState);
        Assert.Equal(1, fixture.Emulator.LoginsRejected);
    }
}
