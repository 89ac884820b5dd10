using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>Doctor runs without a login: settings from arguments, JSON output, redaction, settings over SQL.</summary>
public sealed class DoctorTests(ToolFixture fixture) : ToolTestBase(fixture)
{
    [Fact]
    public async Task Doctor_SettingsAsArguments_FindsAudienceMismatchOffline()
    {
        var result = await RunAsync("doctor", "--token", Mint(), "--user", "alice", "--setting", "enabled=true", "--setting", "issuers=" + Fixture.Issuer.Issuer, "--setting", "audience=[\"a\",\"b\"]");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("None of the token's audiences [crdb-cluster] is in server.jwt_authentication.audience [a b]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("No --connection given: the login was not tried.", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, Fixture.Emulator.LoginsAttempted);
    }

    [Fact]
    public async Task Doctor_AudienceSettingTheClusterWouldRefuse_IsAFindingNotACrash()
    {
        var result = await RunAsync("doctor", "--token", Mint(), "--setting", "audience=\"crdb-cluster\"");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("audiences JSON not valid", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LocalJwtIssuer.RsaKeyId)]
    [InlineData(LocalJwtIssuer.EcKeyId)]
    public async Task Doctor_StaticJwks_VerifiesTheSignatureOffline(string kid)
    {
        var result = await RunAsync("doctor", "--token", Mint(configure: o => o.KeyId = kid), "--setting", "jwks=" + Fixture.Issuer.JwksJson);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Found the key '{kid}' in server.jwt_authentication.jwks, and the signature verifies with it.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ForgedSignature_IsFoundOffline()
    {
        using var stranger = LocalSigningKey.CreateRsa(LocalJwtIssuer.RsaKeyId);

        var result = await RunAsync("doctor", "--token", Mint(configure: o => o.SigningKey = stranger), "--setting", "jwks=" + Fixture.Issuer.JwksJson);

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("The signature does not verify with the key 'rsa-1'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("server.jwt_authentication.jwks", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_NothingButAToken_ChecksTheClockAndSkipsTheRest()
    {
        var result = await RunAsync("doctor", "--token", Mint());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("The token is valid until", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("server.jwt_authentication.audience not known", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_Json_ListsChecksAndOk()
    {
        var result = await RunAsync("doctor", "--json", "--token", Mint(), "--connection", Connection("bob"), "--admin-connection", "cluster");

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("alice", json.RootElement.GetProperty("token").GetProperty("sub").GetString());
        var login = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "login");
        Assert.Equal("problem", login.GetProperty("status").GetString());
        Assert.Contains("invalid principal", login.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Doctor_Output_NeverContainsTheTokenOrItsSignature(bool json)
    {
        var token = Mint("bob");
        var signature = token.Split('.')[2];
        string[] args = ["doctor", "--token", token, "--connection", Connection("alice"), "--admin-connection", "cluster"];

        var result = await RunAsync(json ? [.. args, "--json"] : args);

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains(JwtToken.Parse(token).Fingerprint, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ConnectionAsUrlWithVerifyFull_LogsInWithNoWarning()
    {
        var ca = Path.GetTempFileName();
        await File.WriteAllTextAsync(ca, Fixture.Emulator.CertificatePem);
        try
        {
            var url = $"postgresql://alice@127.0.0.1:{Fixture.Emulator.Port}/postgres?sslmode=verify-full&sslrootcert={ca}";

            var result = await RunAsync("doctor", "--token", Mint(), "--connection", url, "--admin-connection", "cluster");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("sslmode verify-full: the token only goes to the verified cluster.", result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("WARN", result.Stdout, StringComparison.Ordinal);
            Assert.Equal(1, Fixture.Emulator.LoginsSucceeded);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public async Task Doctor_PlainTextConnection_IsAProblem()
    {
        var connection = new NpgsqlConnectionStringBuilder(Connection("alice")) { SslMode = SslMode.Disable }.ConnectionString;

        var result = await RunAsync("doctor", "--token", Mint(), "--connection", connection);

        Assert.Equal(ExitCodes.ProblemsFound, result.ExitCode);
        Assert.Contains("sslmode disable: the token may travel in clear text", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Use sslmode=verify-full", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_AdminConnectionToPostgres_ExplainsItIsNotCockroachDb()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await Program.RunAsync(["doctor", "--token", Mint(), "--admin-connection", Fixture.Postgres.ConnectionString], stdout, stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.Unavailable, exit);
        Assert.Contains("does not lead to a CockroachDB cluster: SHOW CLUSTER SETTING failed", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_UnknownSettingName_IsAUsageError()
    {
        var result = await RunAsync("doctor", "--token", Mint(), "--setting", "audiences=x");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("unknown cluster setting 'audiences'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_NoToken_IsAUsageError()
    {
        var result = await RunAsync("doctor", "--user", "alice");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("doctor needs a token", result.Stderr, StringComparison.Ordinal);
    }
}
