using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary><c>--config</c> layers configuration as the .NET host does: file, environment file, user secrets, environment variables.</summary>
public sealed class ConfigLayeringTests(ToolFixture fixture) : ToolTestBase(fixture), IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("crdb-jwt-layers-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private ToolContext WithEnvironment(params (string Name, string Value)[] variables) => new()
    {
        HttpHandlerFactory = Fixture.Issuer.CreateHttpClientHandler,
        Environment = variables.ToDictionary(v => v.Name, v => v.Value),
    };

    /// <summary>An Okta app in appsettings.json without its secret, as apps keep it.</summary>
    private (string Config, LocalOktaClient Client) OktaWithoutSecret()
    {
        var client = new LocalOktaClient { ClientId = "0oalay" + Guid.NewGuid().ToString("N")[..12], ClientSecret = "s-" + Guid.NewGuid().ToString("N") };
        Fixture.Issuer.Okta.AddClient(client);
        var okta = new JsonObject
        {
            ["Issuer"] = LocalOktaOrg.IssuerFor(Fixture.Issuer.HttpUri, LocalOktaOrg.DefaultServerId).AbsoluteUri,
            ["ClientId"] = client.ClientId,
            ["Scopes"] = new JsonArray("crdb.login"),
        };
        var config = Write("appsettings.json", new JsonObject { ["JwtSso"] = new JsonObject { ["Source"] = "Okta", ["Okta"] = okta } }.ToJsonString());
        return (config, client);
    }

    [Fact]
    public async Task Token_EnvironmentVariableOverride_SuppliesTheSecret()
    {
        var (config, client) = OktaWithoutSecret();

        var result = await RunAsync(WithEnvironment(("JwtSso__Okta__ClientSecret", client.ClientSecret!)), "token", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(client.ClientId, JwtToken.Parse(result.Stdout.Trim()).Subject);
    }

    [Fact]
    public async Task Token_CrdbJwtClientSecret_SuppliesTheSecretForTheConfiguredProvider()
    {
        var (config, client) = OktaWithoutSecret();

        var result = await RunAsync(WithEnvironment(("CRDB_JWT_CLIENT_SECRET", client.ClientSecret!)), "token", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(client.ClientId, JwtToken.Parse(result.Stdout.Trim()).Subject);
    }

    [Fact]
    public async Task Token_EnvironmentFile_OverridesTheBaseFile()
    {
        var baseToken = Write("base.jwt", Mint("alice"));
        var stagingToken = Write("staging.jwt", Mint("bob"));
        var config = Write("appsettings.json", new JsonObject { ["JwtSso"] = new JsonObject { ["Source"] = "File", ["File"] = new JsonObject { ["Path"] = baseToken } } }.ToJsonString());
        Write("appsettings.Staging.json", new JsonObject { ["JwtSso"] = new JsonObject { ["File"] = new JsonObject { ["Path"] = stagingToken } } }.ToJsonString());

        var fromVariable = await RunAsync(WithEnvironment(("DOTNET_ENVIRONMENT", "Staging")), "token", "--config", config);
        var fromOption = await RunAsync(WithEnvironment(), "token", "--config", config, "--environment", "Staging");
        var without = await RunAsync(WithEnvironment(), "token", "--config", config);

        Assert.Equal("bob", JwtToken.Parse(fromVariable.Stdout.Trim()).Subject);
        Assert.Equal("bob", JwtToken.Parse(fromOption.Stdout.Trim()).Subject);
        Assert.Equal("alice", JwtToken.Parse(without.Stdout.Trim()).Subject);
    }

    [Fact]
    public async Task Token_UserSecretsOfTheProject_AreReadInDevelopment()
    {
        var (config, client) = OktaWithoutSecret();
        var id = "crdb-jwt-test-" + Guid.NewGuid().ToString("N");
        Write("App.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><UserSecretsId>{id}</UserSecretsId></PropertyGroup></Project>");
        var secrets = Microsoft.Extensions.Configuration.UserSecrets.PathHelper.GetSecretsPathFromSecretsId(id);
        Directory.CreateDirectory(Path.GetDirectoryName(secrets)!);
        await File.WriteAllTextAsync(secrets, new JsonObject { ["JwtSso:Okta:ClientSecret"] = client.ClientSecret }.ToJsonString());
        try
        {
            var result = await RunAsync(WithEnvironment(("DOTNET_ENVIRONMENT", "Development")), "token", "--config", config);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(client.ClientId, JwtToken.Parse(result.Stdout.Trim()).Subject);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(secrets)!, recursive: true);
        }
    }

    [Fact]
    public async Task Url_ConfigIdentityMap_DerivesTheUser()
    {
        var line = $"{Fixture.Issuer.Issuer} 0oamapped alice";
        var tokenFile = Write("token.jwt", Mint("0oamapped"));
        var config = Write("appsettings.json", new JsonObject
        {
            ["JwtSso"] = new JsonObject { ["Source"] = "File", ["File"] = new JsonObject { ["Path"] = tokenFile }, ["IdentityMap"] = line },
        }.ToJsonString());

        var result = await RunAsync(WithEnvironment(), "url", "--config", config, "--connection", SecureUrl(string.Empty), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"username\": \"alice\"", result.Stdout, StringComparison.Ordinal);
    }
}
