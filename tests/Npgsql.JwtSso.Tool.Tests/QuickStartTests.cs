namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>
/// The README's quick start for URLs and identity maps, and the agreement between what <c>crdb-jwt url</c> prints
/// (for clients, with the token) and what <c>CockroachConnectionString.ParseUrl</c> reads (what a user pastes).
/// </summary>
public sealed class QuickStartTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    private const string GcpPrincipal = "108234567890123456789";

    private static string QuickStart
    {
        get
        {
            return Markdown.Section(InstalledToolTests.RootReadme, "## Quick start");
        }
    }

    [Fact]
    public void QuickStart_ShowsParseUrlAndTheIdentityMapWithTheClusterLine()
    {
        Assert.Contains("CockroachConnectionString.ParseUrl(\"postgresql://", QuickStart, StringComparison.Ordinal);
        Assert.Contains($"o => o.IdentityMap = \"https://accounts.google.com {GcpPrincipal} app\"", QuickStart, StringComparison.Ordinal);
        Assert.Contains($"crdb-jwt cluster-settings --source gcp --audience crdb-prod --map '{GcpPrincipal} app' --jwks-auto-fetch", QuickStart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuickStart_ClusterLine_IsWhatClusterSettingsPrints()
    {
        var result = await RunAsync("cluster-settings", "--source", "gcp", "--audience", "crdb-prod", "--map", $"{GcpPrincipal} app", "--jwks-auto-fetch");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = QuickStart.Split('\n').Single(l => l.StartsWith("SET CLUSTER SETTING server.identity_map.configuration", StringComparison.Ordinal));
        Assert.Contains(line, result.Stdout.Split('\n'));
    }

    [Fact]
    public async Task QuickStart_UrlAndIdentityMap_LogInAsTheMappedUser()
    {
        var line = $"{Fixture.Issuer.Issuer} {GcpPrincipal} alice";
        Cluster.IdentityMapConfiguration = line;
        var settings = CockroachConnectionString.ParseUrl(SecureUrl(string.Empty));
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UseJwtSso(new StaticTokenSource(Mint(GcpPrincipal)), o => o.IdentityMap = line);

        await using var dataSource = await builder.BuildJwtSsoAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select current_user", connection);

        Assert.Equal("alice", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ParseUrl_OfWhatCrdbJwtUrlPrints_IsRefusedNamingTheFixWithoutTheToken()
    {
        var token = Mint();
        var printed = (await RunAsync("url", "--connection", SecureUrl(), "--token", token)).Stdout.Trim();

        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.ParseUrl(printed));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("'crdb-jwt url' prints it for psql", e.Message, StringComparison.Ordinal);
        Assert.Contains("pass the URL without it", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseUrl_OfWhatCrdbJwtUrlPrintsWithoutTheToken_ReadsTheSameOptionsAndLogsIn()
    {
        var token = Mint();
        var printed = (await RunAsync("url", "--connection", SecureUrl(), "--token", token)).Stdout.Trim();
        var withoutToken = printed.Replace(":" + token + "@", "@", StringComparison.Ordinal);

        var jwtMode = CockroachConnectionString.EnableJwt(withoutToken);
        var builder = new NpgsqlDataSourceBuilder(jwtMode);
        builder.UseJwtSso(new StaticTokenSource(token));
        await using var dataSource = await builder.BuildJwtSsoAsync();
        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal("--crdb:jwt_auth_enabled=true", new NpgsqlConnectionStringBuilder(jwtMode).Options);
        Assert.Equal("alice", connection.UserName);
    }
}
