using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

public sealed class TokenCommandTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    [Fact]
    public async Task Token_Static_PrintsOnlyTheTokenOnStdout()
    {
        var token = Mint();

        var result = await RunAsync("token", "--token", token);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(token + Environment.NewLine, result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Token_Expired_IsPrintedWithAWarningOnStderr()
    {
        var token = Mint(configure: o => o.Defects = JwtDefects.Expired);

        var result = await RunAsync("token", "--token", token);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(token, result.Stdout.Trim());
        Assert.Contains("warning: this token expired at", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_File_ReadsTheFile()
    {
        var token = Mint();
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, token + "\n");
        try
        {
            var result = await RunAsync("token", "--source", "file", "--token-file", path);

            Assert.Equal(ExitCodes.Ok, result.ExitCode);
            Assert.Equal(token, result.Stdout.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Token_Command_RunsTheProgram()
    {
        var token = Mint();

        var result = await RunAsync("token", "--source", "command", "--command", "/bin/echo", "--arg", token);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(token, result.Stdout.Trim());
    }

    [Fact]
    public async Task Token_Gcp_GetsAnIdTokenForTheAudience()
    {
        var account = Fixture.Issuer.Gcp.AddServiceAccount("cli@npgsql-jwtsso-test.iam.gserviceaccount.com", "108000000000000000099");
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, Fixture.Issuer.Gcp.CreateServiceAccountKeyJson(account));
        try
        {
            var result = await RunAsync("token", "--source", "gcp", "--credential-file", path, "--audience", "https://crdb.example.com");

            Assert.True(result.ExitCode == 0, result.ToString());
            var jwt = JwtToken.Parse(result.Stdout.Trim());
            Assert.Equal(["https://crdb.example.com"], jwt.Audiences);
            Assert.Equal(account.UniqueId, jwt.Subject);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Token_Okta_UsesClientCredentials()
    {
        var client = new LocalOktaClient { ClientId = "0oacli" + Guid.NewGuid().ToString("N")[..12], ClientSecret = "s-" + Guid.NewGuid().ToString("N") };
        Fixture.Issuer.Okta.AddClient(client);
        var issuer = LocalOktaOrg.IssuerFor(Fixture.Issuer.HttpUri, LocalOktaOrg.DefaultServerId);

        var result = await RunAsync("token", "--source", "okta", "--issuer", issuer.AbsoluteUri, "--client-id", client.ClientId, "--client-secret", client.ClientSecret!, "--scope", "crdb.login");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(client.ClientId, JwtToken.Parse(result.Stdout.Trim()).Subject);
    }

    [Fact]
    public async Task Token_OktaRejectsTheClient_ExitsThreeWithoutTheSecret()
    {
        var issuer = LocalOktaOrg.IssuerFor(Fixture.Issuer.HttpUri, LocalOktaOrg.DefaultServerId);
        const string secret = "not-the-right-secret-123";

        var result = await RunAsync("token", "--source", "okta", "--issuer", issuer.AbsoluteUri, "--client-id", "0oaunknown", "--client-secret", secret, "--scope", "crdb.login");

        Assert.Equal(ExitCodes.TokenUnavailable, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("could not provide a token", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_IssuerDown_ExitsThree()
    {
        var issuer = LocalOktaOrg.IssuerFor(Fixture.Issuer.HttpUri, LocalOktaOrg.DefaultServerId);
        Fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.ServerError(503));

        var result = await RunAsync("token", "--source", "okta", "--issuer", issuer.AbsoluteUri, "--client-id", "0oaany", "--client-secret", "s", "--scope", "crdb.login");

        Assert.Equal(ExitCodes.TokenUnavailable, result.ExitCode);
        Assert.Contains("could not provide a token", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Azure_ClientSecretAgainstEntra()
    {
        var clientId = Guid.NewGuid().ToString();
        var objectId = Guid.NewGuid().ToString();
        const string secret = "entra-secret-value-42";
        Fixture.Issuer.Entra.AddResource("api://crdb-cli", Guid.NewGuid().ToString());
        Fixture.Issuer.Entra.AddClientSecret(clientId, secret, objectId);

        var result = await RunAsync(
            "token", "--source", "azure", "--tenant-id", Fixture.Issuer.Entra.TenantId, "--client-id", clientId, "--client-secret", secret,
            "--scope", "api://crdb-cli/.default", "--authority-host", Fixture.Issuer.HttpsUri.AbsoluteUri, "--disable-instance-discovery");

        Assert.True(result.ExitCode == 0, result.ToString());
        var jwt = JwtToken.Parse(result.Stdout.Trim());
        Assert.Equal(objectId, jwt.Subject);
        Assert.Equal(["api://crdb-cli"], jwt.Audiences);
    }

    [Fact]
    public async Task Token_GitHubActions_UsesTheJobsTokenService()
    {
        var saved = Fixture.Issuer.GitHubActionsEnvironment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in Fixture.Issuer.GitHubActionsEnvironment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var result = await RunAsync("token", "--source", "github-actions", "--audience", ToolFixture.Audience);

            Assert.True(result.ExitCode == 0, result.ToString());
            var jwt = JwtToken.Parse(result.Stdout.Trim());
            Assert.Equal("https://token.actions.githubusercontent.com", jwt.Issuer);
            Assert.Equal([ToolFixture.Audience], jwt.Audiences);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Fact]
    public async Task Token_MissingKeyFile_IsAUsageErrorNotACrash()
    {
        var result = await RunAsync("token", "--source", "okta", "--issuer", "https://example.okta.com/oauth2/default", "--client-id", "x", "--auth-method", "private-key-jwt", "--private-key-file", "/nonexistent/key.pem", "--scope", "s");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("/nonexistent/key.pem", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Json_HasTheTokenAndItsClaims()
    {
        var token = Mint();

        var result = await RunAsync("token", "--token", token, "--json");

        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(token, json.RootElement.GetProperty("token").GetString());
        Assert.Equal("alice", json.RootElement.GetProperty("sub").GetString());
        Assert.Equal(Fixture.Issuer.Issuer, json.RootElement.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Token_GcpWithoutAudience_IsAUsageErrorNamingTheOption()
    {
        var result = await RunAsync("token", "--source", "gcp");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--source gcp needs --audience", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_NoSource_IsAUsageError()
    {
        var result = await RunAsync("token");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--source", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token --provider gcp")]
    [InlineData("token -p gcp")]
    [InlineData("token --provider=gcp")]
    [InlineData("cluster-settings --provider gcp")]
    public async Task OldProviderFlag_IsAUsageErrorNamingSource(string commandLine)
    {
        var result = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is now --source", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_UnknownOption_IsAUsageErrorPointingAtHelp()
    {
        var result = await RunAsync("token", "--tokn", "x");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Run 'crdb-jwt token --help'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("url")]
    [InlineData("doctor")]
    [InlineData("cluster-settings")]
    public async Task Help_EveryCommand_PrintsUsage(string command)
    {
        var result = await RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($" {command} [options]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_NoCommand_IsAUsageError()
    {
        var result = await RunAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("name a command", result.Stderr, StringComparison.Ordinal);
    }
}
