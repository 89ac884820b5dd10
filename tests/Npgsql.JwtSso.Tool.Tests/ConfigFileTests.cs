using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary><c>--config appsettings.json</c>: the token source is read from the application's own configuration.</summary>
public sealed class ConfigFileTests(ToolFixture fixture) : ToolTestBase(fixture), IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("crdb-jwt-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string AppSettings(JsonObject jwtSso, string section = "JwtSso")
        => Write("appsettings.json", new JsonObject { [section] = jwtSso }.ToJsonString());

    [Fact]
    public async Task Token_ConfigWithFileSource_UsesTheApplicationsSettings()
    {
        var token = Mint();
        var tokenFile = Write("token.jwt", token);
        var config = AppSettings(new JsonObject { ["Source"] = "File", ["File"] = new JsonObject { ["Path"] = tokenFile } });

        var result = await RunAsync("token", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(token, result.Stdout.Trim());
    }

    [Fact]
    public async Task Token_ConfigWithGcpSource_UsesTheSourcePackagesBinding()
    {
        var account = Fixture.Issuer.Gcp.AddServiceAccount("cfg@npgsql-jwtsso-test.iam.gserviceaccount.com", "108000000000000000123");
        var key = Write("key.json", Fixture.Issuer.Gcp.CreateServiceAccountKeyJson(account));
        var config = AppSettings(new JsonObject { ["Source"] = "Gcp", ["Gcp"] = new JsonObject { ["Audience"] = "crdb-from-config", ["CredentialFile"] = key } }, "Db");

        var result = await RunAsync("token", "--config", config, "--config-section", "Db");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["crdb-from-config"], JwtToken.Parse(result.Stdout.Trim()).Audiences);
    }

    [Fact]
    public async Task Doctor_Config_DiagnosesTheConfiguredToken()
    {
        var tokenFile = Write("token.jwt", Mint("bob"));
        var config = AppSettings(new JsonObject { ["Source"] = "File", ["File"] = new JsonObject { ["Path"] = tokenFile } });

        var result = await RunAsync("doctor", "--config", config, "--connection", Connection("alice"), "--admin-connection", "cluster");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("token issued for [bob] and login was for alice", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ConfigWithoutTheSection_IsAUsageErrorNamingIt()
    {
        var config = AppSettings(new JsonObject { ["Source"] = "File" }, "Other");

        var result = await RunAsync("token", "--config", config);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("has no section 'JwtSso'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ConfigWithATypo_IsAUsageErrorNamingTheKey()
    {
        var config = AppSettings(new JsonObject { ["Source"] = "File", ["File"] = new JsonObject { ["Pth"] = "/x" } });

        var result = await RunAsync("token", "--config", config);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.True(result.Stderr.Contains("Pth", StringComparison.Ordinal), result.ToString());
    }

    [Fact]
    public async Task Token_ConfigWithTheOldProviderKey_IsAUsageErrorNamingSource()
    {
        var config = AppSettings(new JsonObject { ["Provider"] = "File", ["File"] = new JsonObject { ["Path"] = Write("token.jwt", Mint()) } });

        var result = await RunAsync("token", "--config", config);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.True(result.Stderr.Contains("'JwtSso:Provider' is now 'JwtSso:Source'", StringComparison.Ordinal), result.ToString());
    }
}
