using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

public sealed class UrlCommandTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    private string Url(string userPart, string query)
        => $"postgresql://{userPart}127.0.0.1:{Fixture.Emulator.Port}/postgres?{query}";

    private static async Task<string> CurrentUserAsync(NpgsqlConnectionStringBuilder builder)
    {
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Url_PostgresUrl_PrintsAUrlThatLogsIn()
    {
        var token = Mint();

        var result = await RunAsync("url", "--connection", SecureUrl(), "--token", token);

        Assert.True(result.ExitCode == 0, result.ToString());
        var url = result.Stdout.Trim();
        Assert.Equal($"postgresql://alice:{token}@127.0.0.1:{Fixture.Emulator.Port}/postgres?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(Fixture.EmulatorCaFile)}&options=--crdb:jwt_auth_enabled%3Dtrue", url);
        var builder = CockroachConnectionString.ParseUrl(url.Replace(":" + token + "@", "@", StringComparison.Ordinal));
        builder.Password = token;
        Assert.Equal("alice", await CurrentUserAsync(builder));
    }

    [Fact]
    public async Task Url_ExistingOptions_AreKeptAndMerged()
    {
        var token = Mint();

        var result = await RunAsync("url", "--connection", SecureUrl(extraQuery: "&options=-c%20search_path%3Dapp"), "--token", token);

        Assert.True(result.ExitCode == 0, result.ToString());
        var builder = CockroachConnectionString.ParseUrl(result.Stdout.Trim().Replace(":" + token + "@", "@", StringComparison.Ordinal));
        Assert.Contains("search_path=app", builder.Options, StringComparison.Ordinal);
        Assert.Contains("--crdb:jwt_auth_enabled=true", builder.Options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_ConnectionString_PrintsAConnectionStringThatLogsIn()
    {
        var connection = new NpgsqlConnectionStringBuilder(Connection("alice")) { SslMode = SslMode.VerifyFull, RootCertificate = Fixture.EmulatorCaFile }.ConnectionString;

        var result = await RunAsync("url", "--connection", connection, "--token", Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        var builder = new NpgsqlConnectionStringBuilder(result.Stdout.Trim());
        Assert.Equal("--crdb:jwt_auth_enabled=true", builder.Options);
        Assert.Equal("alice", await CurrentUserAsync(builder));
    }

    [Fact]
    public async Task Url_UserOption_FillsAUrlWithoutUser()
    {
        var token = Mint("bob");

        var result = await RunAsync("url", "--connection", SecureUrl(string.Empty), "--user", "bob", "--token", token, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("bob", json.RootElement.GetProperty("username").GetString());
        Assert.StartsWith($"postgresql://bob:{token}@", json.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_NoUserAndTheTokenLacksTheClaim_IsAUsageErrorNamingTheClaim()
    {
        var result = await RunAsync("url", "--connection", SecureUrl(string.Empty), "--token", Mint(), "--claim", "email");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("has no 'email' claim", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Url_PasswordInConnection_IsRefused()
    {
        var result = await RunAsync("url", "--connection", SecureUrl("alice:secret@"), "--token", Mint());

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--connection", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Theory]
    [InlineData("sslmode=require")]
    [InlineData("sslmode=disable")]
    [InlineData("sslmode=prefer")]
    public async Task Url_BelowVerifyFull_IsRefusedAsTheLibraryRefusesIt(string query)
    {
        var token = Mint();

        var result = await RunAsync("url", "--connection", Url("alice@", query), "--token", token);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("--connection: SSL Mode=", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-transport", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_AllowInsecureTransport_PrintsWithAWarning()
    {
        var token = Mint();

        var result = await RunAsync("url", "--connection", Url("alice@", "sslmode=require"), "--token", token, "--allow-insecure-transport");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith("crdb-jwt: warning: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Require", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Stderr, StringComparison.Ordinal);
    }
}
