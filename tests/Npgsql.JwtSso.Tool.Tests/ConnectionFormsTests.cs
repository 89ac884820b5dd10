using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>The three forms people paste: URL, libpq key=value, Npgsql connection string; anything else gets one clear line.</summary>
public sealed class ConnectionFormsTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    [Fact]
    public async Task Url_NotAConnectionString_NamesTheExpectedFormsInOneLine()
    {
        var result = await RunAsync("url", "--connection", "not a url", "--token", Mint());

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.DoesNotContain("initialization string", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--connection", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("postgresql:// URL, a libpq string", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Url_LibpqStringWithUser_ReadsTheUser()
    {
        var libpq = $"host=127.0.0.1 port={Fixture.Emulator.Port} user=bob dbname=postgres sslmode=verify-full sslrootcert={Fixture.EmulatorCaFile}";

        var result = await RunAsync("url", "--connection", libpq, "--token", Mint("bob"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("bob", json.RootElement.GetProperty("username").GetString());
        Assert.Contains("user=bob", json.RootElement.GetProperty("libpq").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_LibpqStringWithPassword_IsRefusedWithoutEchoingIt()
    {
        const string password = "libpq-secret-123";
        var libpq = $"host=127.0.0.1 port={Fixture.Emulator.Port} user=bob password={password} sslmode=verify-full sslrootcert={Fixture.EmulatorCaFile}";

        var result = await RunAsync("url", "--connection", libpq, "--token", Mint("bob"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("libpq connection string has a 'password' parameter", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(password, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_LibpqConnection_TriesTheLoginAsThatUser()
    {
        var libpq = $"host=127.0.0.1 port={Fixture.Emulator.Port} user=alice dbname=postgres sslmode=verify-full sslrootcert={Fixture.EmulatorCaFile}";

        var result = await RunAsync("doctor", "--token", Mint(), "--connection", libpq, "--setting", "audience=" + ToolFixture.Audience, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var login = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "login");
        Assert.Equal("ok", login.GetProperty("status").GetString());
    }
}
