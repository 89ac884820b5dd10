using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>Every form <c>crdb-jwt url</c> prints for libpq is pasted into the real psql, which logs in through the emulator over verified TLS.</summary>
public sealed class PsqlRoundTripTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    [Fact]
    public async Task Url_PrintedUrl_LogsInWithPsql()
    {
        var result = await RunAsync("url", "--connection", SecureUrl(), "--token", Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        var (exit, output, error) = await Psql.RunAsync(result.Stdout.Trim(), "select current_user");
        Assert.True(exit == 0, error);
        Assert.Equal("alice", output);
    }

    [Fact]
    public async Task Url_PrintedUrl_EncodesTheOptionsValueForLibpq()
    {
        var result = await RunAsync("url", "--connection", SecureUrl(), "--token", Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("&options=--crdb:jwt_auth_enabled%3Dtrue", result.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_ExistingEncodedOptions_StayEncodedAndReachTheServer()
    {
        var result = await RunAsync("url", "--connection", SecureUrl(extraQuery: "&options=-c%20statement_timeout%3D5000"), "--token", Mint());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("statement_timeout%3D5000", result.Stdout, StringComparison.Ordinal);
        var (exit, output, error) = await Psql.RunAsync(result.Stdout.Trim(), "show statement_timeout");
        Assert.True(exit == 0, error);
        Assert.Equal("5s", output);
    }

    [Fact]
    public async Task Url_WithoutUser_DerivesItFromTheTokenAndPsqlLogsIn()
    {
        var result = await RunAsync("url", "--connection", SecureUrl(string.Empty), "--token", Mint("bob"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var (exit, output, error) = await Psql.RunAsync(result.Stdout.Trim(), "select current_user");
        Assert.True(exit == 0, error);
        Assert.Equal("bob", output);
    }

    [Fact]
    public async Task Url_WithoutUser_DerivesItThroughTheIdentityMap()
    {
        var line = $"{Fixture.Issuer.Issuer} 0oaservice alice";
        Cluster.IdentityMapConfiguration = line;

        var result = await RunAsync("url", "--connection", SecureUrl(string.Empty), "--token", Mint("0oaservice"), "--identity-map", line);

        Assert.True(result.ExitCode == 0, result.ToString());
        var (exit, output, error) = await Psql.RunAsync(result.Stdout.Trim(), "select current_user");
        Assert.True(exit == 0, error);
        Assert.Equal("alice", output);
    }

    [Fact]
    public async Task Url_LibpqKeyValueInput_IsPrintedBackAsLibpqAndLogsInWithPsql()
    {
        var libpq = $"host=127.0.0.1 port={Fixture.Emulator.Port} dbname=postgres user=alice sslmode=verify-full sslrootcert='{Fixture.EmulatorCaFile}'";

        var result = await RunAsync("url", "--connection", libpq, "--token", Mint(), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var printed = json.RootElement.GetProperty("libpq").GetString()!;
        Assert.StartsWith("host=127.0.0.1 ", printed, StringComparison.Ordinal);
        var (exit, output, error) = await Psql.RunAsync(printed, "select current_user");
        Assert.True(exit == 0, error);
        Assert.Equal("alice", output);
    }

    [Fact]
    public async Task Url_JsonUrl_LogsInWithPsql()
    {
        var result = await RunAsync("url", "--connection", SecureUrl(), "--token", Mint(), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var (exit, output, error) = await Psql.RunAsync(json.RootElement.GetProperty("url").GetString()!, "select current_user");
        Assert.True(exit == 0, error);
        Assert.Equal("alice", output);
    }
}
