using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

public sealed class UrlCommandTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    private string Url(string userPart, string query = "sslmode=require")
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

        var result = await RunAsync("url", "--connection", Url("alice@"), "--token", token);

        Assert.True(result.ExitCode == 0, result.ToString());
        var url = result.Stdout.Trim();
        Assert.Equal($"postgresql://alice:{token}@127.0.0.1:{Fixture.Emulator.Port}/postgres?sslmode=require&options=--crdb:jwt_auth_enabled=true", url);
        var builder = CockroachConnectionString.ParseUrl(url.Replace(":" + token + "@", "@", StringComparison.Ordinal));
        builder.Password = token;
        Assert.Equal("alice", await CurrentUserAsync(builder));
    }

    [Fact]
    public async Task Url_ExistingOptions_AreKeptAndMerged()
    {
        var token = Mint();

        var result = await RunAsync("url", "--connection", Url("alice@", "sslmode=require&options=-c%20search_path%3Dapp"), "--token", token);

        Assert.True(result.ExitCode == 0, result.ToString());
        var builder = CockroachConnectionString.ParseUrl(result.Stdout.Trim().Replace(":" + token + "@", "@", StringComparison.Ordinal));
        Assert.Contains("search_path=app", builder.Options, StringComparison.Ordinal);
        Assert.Contains("--crdb:jwt_auth_enabled=true", builder.Options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_ConnectionString_PrintsAConnectionStringThatLogsIn()
    {
        var result = await RunAsync("url", "--connection", Connection("alice"), "--token", Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        var builder = new NpgsqlConnectionStringBuilder(result.Stdout.Trim());
        Assert.Equal("--crdb:jwt_auth_enabled=true", builder.Options);
        Assert.Equal("alice", await CurrentUserAsync(builder));
    }

    [Fact]
    public async Task Url_UserOption_FillsAUrlWithoutUser()
    {
        var token = Mint("bob");

        var result = await RunAsync("url", "--connection", Url(string.Empty), "--user", "bob", "--token", token, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("bob", json.RootElement.GetProperty("username").GetString());
        Assert.StartsWith($"postgresql://bob:{token}@", json.RootElement.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_NoUser_IsAUsageError()
    {
        var result = await RunAsync("url", "--connection", Url(string.Empty), "--token", Mint());

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("name the SQL user", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_PasswordInConnection_IsRefused()
    {
        var result = await RunAsync("url", "--connection", Url("alice:secret@"), "--token", Mint());

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--connection", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Url_WithoutTls_WarnsOnStderr()
    {
        var token = Mint();

        var result = await RunAsync("url", "--connection", Url("alice@", "sslmode=disable"), "--token", token);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("warning: sslmode is Disable", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Stderr, StringComparison.Ordinal);
    }
}
