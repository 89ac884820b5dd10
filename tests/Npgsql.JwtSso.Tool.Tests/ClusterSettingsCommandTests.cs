using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>The printed settings are applied to a reset emulator with SET CLUSTER SETTING's checks, then a login must succeed.</summary>
public sealed class ClusterSettingsCommandTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    private void Apply(ToolResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Cluster.Reset();
        foreach (var setting in json.RootElement.GetProperty("settings").EnumerateObject())
        {
            Cluster.Set(setting.Name, setting.Value.GetString()!);
        }
    }

    private async Task<string> LoginAsync(string user, string token)
    {
        var builder = new NpgsqlConnectionStringBuilder(Fixture.Emulator.GetConnectionString(user, token)) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task ClusterSettings_Issuer_StaticJwksFromDiscoveryLetsALoginThrough()
    {
        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer, "--audience", ToolFixture.Audience, "--json");

        Apply(result);
        Assert.False(Cluster.JwksAutoFetchEnabled);
        Assert.Equal("alice", await LoginAsync("alice", Mint()));
    }

    [Fact]
    public async Task ClusterSettings_Text_IsPasteableSql()
    {
        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer, "--audience", "a", "--audience", "b's");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("SET CLUSTER SETTING server.jwt_authentication.enabled = true;", lines);
        Assert.Contains($"SET CLUSTER SETTING server.jwt_authentication.issuers.configuration = '{Fixture.Issuer.Issuer}';", lines);
        Assert.Contains("SET CLUSTER SETTING server.jwt_authentication.audience = '[\"a\",\"b''s\"]';", lines);
        Assert.Contains(lines, l => l.StartsWith("SET CLUSTER SETTING server.jwt_authentication.jwks = '{\"keys\":[", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.StartsWith("-- ", StringComparison.Ordinal) || l.EndsWith(';'), l));
    }

    [Fact]
    public async Task ClusterSettings_AutoFetch_LetsALoginThrough()
    {
        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer, "--audience", ToolFixture.Audience, "--jwks-auto-fetch", "--json");

        Apply(result);
        Assert.True(Cluster.JwksAutoFetchEnabled);
        Assert.Equal("{\"keys\":[]}", Cluster.Jwks);
        Assert.Equal("bob", await LoginAsync("bob", Mint("bob")));
    }

    [Fact]
    public async Task ClusterSettings_ClaimAndMap_MapEmailsToUsers()
    {
        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer, "--audience", ToolFixture.Audience, "--claim", "email", "--map", @"/^(.*)@example\.com$ \1", "--json");

        Apply(result);
        Assert.Equal(Fixture.Issuer.Issuer + @" /^(.*)@example\.com$ \1", Cluster.IdentityMapConfiguration);
        Assert.Equal("alice", await LoginAsync("alice", Mint("svc-7", o => o.Claims["email"] = "alice@example.com")));
    }

    [Fact]
    public async Task ClusterSettings_JwksFileAndGcpPreset_UseTheFileAndGooglesIssuer()
    {
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, Fixture.Issuer.JwksJson);
        var discoveriesBefore = Fixture.Issuer.RequestCount(IssuerEndpointNames.Discovery);
        try
        {
            var result = await RunAsync("cluster-settings", "--source", "gcp", "--audience", "x", "--jwks-file", path, "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = JsonDocument.Parse(result.Stdout);
            var settings = json.RootElement.GetProperty("settings");
            Assert.Equal("https://accounts.google.com", settings.GetProperty(ClusterJwtSettings.IssuersName).GetString());
            Assert.Contains("\"kid\":\"rsa-1\"", settings.GetProperty(ClusterJwtSettings.JwksName).GetString(), StringComparison.Ordinal);
            Assert.Equal(discoveriesBefore, Fixture.Issuer.RequestCount(IssuerEndpointNames.Discovery));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ClusterSettings_AzurePreset_ListsBothTokenVersionsIssuers()
    {
        var result = await RunAsync("cluster-settings", "--source", "azure", "--tenant-id", "t-1", "--audience", "api://crdb", "--jwks-auto-fetch", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("[\"https://login.microsoftonline.com/t-1/v2.0\",\"https://sts.windows.net/t-1/\"]", json.RootElement.GetProperty("settings").GetProperty(ClusterJwtSettings.IssuersName).GetString());
    }

    [Theory]
    [InlineData("--source", "azure")]
    [InlineData("--source", "nope")]
    public async Task ClusterSettings_IncompletePreset_IsAUsageError(string option, string value)
    {
        var result = await RunAsync("cluster-settings", option, value, "--audience", "x", "--jwks-auto-fetch");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--source", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSettings_NoAudience_IsAUsageErrorThatExplainsWhy()
    {
        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("CockroachDB refuses tokens whose aud is not configured", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSettings_BadMapRegex_IsAUsageErrorFromTheCoreParser()
    {
        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer, "--audience", "x", "--jwks-auto-fetch", "--map", "/([ \\1");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--map", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSettings_DiscoveryFails_ExitsFourNamingTheUrl()
    {
        Fixture.Issuer.Faults.Set(IssuerEndpointNames.Discovery, IssuerFault.ServerError(500), 1);

        var result = await RunAsync("cluster-settings", "--issuer", Fixture.Issuer.Issuer, "--audience", "x");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("/.well-known/openid-configuration returned 500", result.Stderr, StringComparison.Ordinal);
    }
}
