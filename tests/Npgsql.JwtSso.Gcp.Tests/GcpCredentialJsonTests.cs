using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using Npgsql.JwtSso.Gcp.Internal;
using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>Bad credential material is reported as a configuration error naming where it came from, without echoing secrets.</summary>
public sealed class GcpCredentialJsonTests(Xunit.Abstractions.ITestOutputHelper output, GcpBedFixture fixture) : IClassFixture<GcpBedFixture>
{
    private readonly GcpTestBed _bed = Reset(fixture.Bed);

    private static GcpTestBed Reset(GcpTestBed bed)
    {
        bed.Reset();
        return bed;
    }

    [Fact]
    public async Task GetTokenAsync_NotJson_FailsAsConfiguration()
    {
        var ex = await FailAsync(o => o.CredentialJson = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----");

        Assert.Contains("CredentialJson is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIEvQIBADANBg", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NoType_FailsNamingField()
    {
        var ex = await FailAsync(o => o.CredentialJson = """{"client_email":"a@b"}""");

        Assert.Contains("\"type\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_BadPrivateKey_FailsNamingAccountWithoutKeyText()
    {
        var json = JsonNode.Parse(_bed.KeyJson)!;
        json["private_key"] = "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldA==\n-----END PRIVATE KEY-----\n";

        var ex = await FailAsync(o => o.CredentialJson = json.ToJsonString());

        output.WriteLine(ex.ToString());
        Assert.Contains("private_key", ex.Message, StringComparison.Ordinal);
        Assert.Contains(GcpTestBed.ServiceAccountEmail, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90LWEta2V5LXNlY3JldA", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_MissingClientEmail_FailsNamingField()
    {
        var json = JsonNode.Parse(_bed.KeyJson)!.AsObject();
        json.Remove("client_email");

        var ex = await FailAsync(o => o.CredentialJson = json.ToJsonString());

        Assert.Contains("without client_email", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_UnknownType_FailsNamingType()
    {
        var ex = await FailAsync(o => o.CredentialJson = """{"type":"certificate_authority"}""");

        Assert.Contains("certificate_authority", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_MissingFile_FailsNamingPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "npgsql-jwtsso-missing-" + Guid.NewGuid().ToString("N") + ".json");

        var ex = await FailAsync(o => o.CredentialFile = path);

        Assert.Contains($"CredentialFile '{path}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_KeyFile_WorksLikeJson()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, _bed.KeyJson);
            var source = new GcpTokenSource(new GcpTokenSourceOptions { Audience = GcpTestBed.Audience, CredentialFile = path }, _bed.Time);

            var token = await source.GetTokenAsync(CancellationToken.None);

            Assert.Equal(GcpTestBed.ServiceAccountId, token.Subject);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task GetTokenAsync_ExplicitCredentialThatCannotMintIdTokens_FailsAsConfiguration()
    {
        var ex = await FailAsync(o => o.Credential = GoogleCredential.FromAccessToken("ya29.secret-access-token"));

        Assert.Contains("cannot mint Google ID tokens", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-access-token", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ExplicitServiceAccountCredential_IsUsed()
    {
        var credential = CredentialFactory.FromJson<ServiceAccountCredential>(_bed.KeyJson).ToGoogleCredential();
        var source = new GcpTokenSource(new GcpTokenSourceOptions { Audience = GcpTestBed.Audience, Credential = credential }, _bed.Time);

        // A caller-built credential keeps its own (wall) clock; the fake mints on the fake clock, so only the
        // request itself is checked here.
        await Assert.ThrowsAnyAsync<Exception>(() => source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));
        Assert.True(_bed.Calls(Testing.IssuerEndpointNames.GcpOAuthToken) >= 1);
    }

    [Theory]
    [InlineData("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken", "sa@p.iam.gserviceaccount.com")]
    [InlineData("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/123:generateAccessToken", "123")]
    [InlineData("https://sts.googleapis.com/v1/token", null)]
    [InlineData(null, null)]
    public void ImpersonationTarget_ExternalAccountUrl_ExtractsServiceAccount(string? url, string? expected)
        => Assert.Equal(expected, GcpCredentialResolver.ImpersonationTarget(url));

    private async Task<JwtSsoException> FailAsync(Action<GcpTokenSourceOptions> configure)
    {
        var options = new GcpTokenSourceOptions { Audience = GcpTestBed.Audience };
        configure(options);
        var source = new GcpTokenSource(options, _bed.Time);
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));
        output.WriteLine(ex.ToString());
        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Equal("gcp", ex.SourceName);
        return ex;
    }
}
