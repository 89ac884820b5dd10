using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>Errors of one-shot commands: one line, the real TLS cause with the fix, no retry promises, JSON with --json.</summary>
public sealed class ErrorDisplayTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    /// <summary>No pinned handler: the issuer's self-signed certificate is untrusted unless --ca-file names it.</summary>
    private static ToolContext SystemTrust => new();

    private string HttpsIssuer => Fixture.Issuer.HttpsUri.AbsoluteUri.TrimEnd('/');

    private string OktaIssuer => LocalOktaOrg.IssuerFor(Fixture.Issuer.HttpsUri, LocalOktaOrg.DefaultServerId).AbsoluteUri;

    private LocalOktaClient AddOktaClient()
    {
        var client = new LocalOktaClient { ClientId = "0oaerr" + Guid.NewGuid().ToString("N")[..12], ClientSecret = "s-" + Guid.NewGuid().ToString("N") };
        Fixture.Issuer.Okta.AddClient(client);
        return client;
    }

    private static void AssertOneLine(ToolResult result)
    {
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("retried", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("..", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSettings_UntrustedIssuerCertificate_ShowsTheCauseAndTheFix()
    {
        var result = await RunAsync(SystemTrust, "cluster-settings", "--issuer", HttpsIssuer, "--audience", ToolFixture.Audience);

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        AssertOneLine(result);
        Assert.DoesNotContain("see inner exception", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not trusted (UntrustedRoot)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--ca-file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterSettings_CaFile_TrustsTheIssuer()
    {
        var result = await RunAsync(SystemTrust, "cluster-settings", "--issuer", HttpsIssuer, "--audience", ToolFixture.Audience, "--ca-file", Fixture.IssuerCaFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("server.jwt_authentication.jwks", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OktaUntrustedCertificate_ShowsTheCauseOnceInOneLine()
    {
        var client = AddOktaClient();

        var result = await RunAsync(SystemTrust, "token", "--source", "okta", "--issuer", OktaIssuer, "--client-id", client.ClientId, "--client-secret", client.ClientSecret!, "--scope", "crdb.login");

        Assert.Equal(ExitCodes.TokenUnavailable, result.ExitCode);
        AssertOneLine(result);
        Assert.Contains("TLS: the certificate of 127.0.0.1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--ca-file", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(client.ClientSecret!, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OktaWithCaFile_GetsAToken()
    {
        var client = AddOktaClient();

        var result = await RunAsync(SystemTrust, "token", "--source", "okta", "--issuer", OktaIssuer, "--client-id", client.ClientId, "--client-secret", client.ClientSecret!, "--scope", "crdb.login", "--ca-file", Fixture.IssuerCaFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(client.ClientId, JwtToken.Parse(result.Stdout.Trim()).Subject);
    }

    [Fact]
    public async Task Token_AzureUntrustedCertificate_OneAttemptOneLine()
    {
        var clientId = Guid.NewGuid().ToString();
        Fixture.Issuer.Entra.AddResource("api://crdb-err", Guid.NewGuid().ToString());
        Fixture.Issuer.Entra.AddClientSecret(clientId, "entra-secret-err", Guid.NewGuid().ToString());

        var result = await RunAsync(
            SystemTrust, "token", "--source", "azure", "--tenant-id", Fixture.Issuer.Entra.TenantId, "--client-id", clientId, "--client-secret", "entra-secret-err",
            "--scope", "api://crdb-err/.default", "--authority-host", Fixture.Issuer.HttpsUri.AbsoluteUri, "--disable-instance-discovery");

        Assert.Equal(ExitCodes.TokenUnavailable, result.ExitCode);
        AssertOneLine(result);
        Assert.Equal(1, CountOf(result.Stderr, "is not trusted"));
        Assert.DoesNotContain("entra-secret-err", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_AzureWithCaFile_GetsAToken()
    {
        var clientId = Guid.NewGuid().ToString();
        var objectId = Guid.NewGuid().ToString();
        Fixture.Issuer.Entra.AddResource("api://crdb-ca", Guid.NewGuid().ToString());
        Fixture.Issuer.Entra.AddClientSecret(clientId, "entra-secret-ca", objectId);

        var result = await RunAsync(
            SystemTrust, "token", "--source", "azure", "--tenant-id", Fixture.Issuer.Entra.TenantId, "--client-id", clientId, "--client-secret", "entra-secret-ca",
            "--scope", "api://crdb-ca/.default", "--authority-host", Fixture.Issuer.HttpsUri.AbsoluteUri, "--disable-instance-discovery", "--ca-file", Fixture.IssuerCaFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(objectId, JwtToken.Parse(result.Stdout.Trim()).Subject);
    }

    [Fact]
    public async Task Token_IdentityProviderFailing_SaysNothingAboutRetrying()
    {
        Fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.ServerError(503));

        var result = await RunAsync("token", "--source", "okta", "--issuer", OktaIssuer, "--client-id", "0oaany", "--client-secret", "s", "--scope", "crdb.login");

        Assert.Equal(ExitCodes.TokenUnavailable, result.ExitCode);
        AssertOneLine(result);
        Assert.Contains("503", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OktaRejectsTheClient_OneLineWithoutDoubleFullStop()
    {
        var result = await RunAsync("token", "--source", "okta", "--issuer", OktaIssuer, "--client-id", "0oaunknown", "--client-secret", "wrong-secret-77", "--scope", "crdb.login");

        Assert.Equal(ExitCodes.TokenUnavailable, result.ExitCode);
        AssertOneLine(result);
    }

    [Fact]
    public async Task Token_OktaValidationErrors_AreOneLine()
    {
        var result = await RunAsync("token", "--source", "okta", "--issuer", OktaIssuer);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        AssertOneLine(result);
        Assert.Contains("ClientId is required", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Scopes is empty", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_OktaDomainAlone_UsesTheDefaultAuthorizationServer()
    {
        var client = AddOktaClient();

        var result = await RunAsync("token", "--source", "okta", "--domain", Fixture.Issuer.HttpsUri.Authority, "--client-id", client.ClientId, "--client-secret", client.ClientSecret!, "--scope", "crdb.login");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(OktaIssuer.TrimEnd('/'), JwtToken.Parse(result.Stdout.Trim()).Issuer);
    }

    [Fact]
    public void OktaOptions_WithoutAuthorizationServer_SayWhatIsMissingInPlainWords()
    {
        var e = Assert.ThrowsAny<Exception>(() => new Npgsql.JwtSso.Okta.OktaTokenSource(new Npgsql.JwtSso.Okta.OktaTokenSourceOptions
        {
            Domain = "dev-123456.okta.com",
            ClientId = "0oa1",
            ClientSecret = "s",
            Scopes = { "crdb.login" },
        }));

        Assert.Contains("AuthorizationServerId is required", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("go to that is", e.Message, StringComparison.Ordinal);
        Assert.Contains("Without it the request would go to Okta's org authorization server", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", "--source", "gcp")]
    [InlineData("url", "--connection", "not a url", "--token", "x.y.z")]
    [InlineData("token", "--no-such-option")]
    public async Task Json_Errors_AreAJsonObjectOnStdout(params string[] args)
    {
        var result = await RunAsync([.. args, "--json"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(result.ExitCode, error.GetProperty("exitCode").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Doctor_TextAndJson_UseTheSameWordForASkippedCheck()
    {
        var text = await RunAsync("doctor", "--token", Mint());
        var json = await RunAsync("doctor", "--token", Mint(), "--json");

        Assert.Contains("  skip ", text.Stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Stdout);
        var statuses = document.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("status").GetString()).ToList();
        Assert.Contains("skip", statuses);
        Assert.DoesNotContain("skipped", statuses);
    }

    [Fact]
    public async Task Help_ShowsTheInstallLine()
    {
        var result = await RunAsync("--help");

        Assert.Contains("dotnet tool install --global Npgsql.JwtSso.Tool", result.Stdout, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
