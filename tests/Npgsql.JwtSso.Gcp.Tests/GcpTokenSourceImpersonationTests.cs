using Npgsql.JwtSso.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>Impersonation through Google's ImpersonatedCredential and the fake IAM Credentials generateIdToken API.</summary>
public sealed class GcpTokenSourceImpersonationTests(ITestOutputHelper output, GcpBedFixture fixture) : IClassFixture<GcpBedFixture>
{
    private readonly GcpTestBed _bed = Reset(fixture.Bed);

    private static GcpTestBed Reset(GcpTestBed bed)
    {
        bed.Reset();
        return bed;
    }

    [Fact]
    public async Task GetTokenAsync_Impersonation_ReturnsTokenOfTargetAccount()
    {
        _bed.Issuer.Gcp.GrantTokenCreator(_bed.Account, _bed.Target);

        var token = await _bed.ImpersonatingSource().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.GoogleIssuer, token.Issuer);
        Assert.Equal(GcpTestBed.TargetId, token.Subject);
        Assert.Equal([GcpTestBed.Audience], token.Audiences);
        Assert.True(token.TryGetClaim("email", out var email));
        Assert.Equal(GcpTestBed.TargetEmail, email.GetString());
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpGenerateIdToken));
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpOAuthToken)); // the caller's access token (IAM scope)
    }

    [Fact]
    public async Task GetTokenAsync_ImpersonationRefresh_ReusesCallersAccessToken()
    {
        _bed.Issuer.Gcp.GrantTokenCreator(_bed.Account, _bed.Target);
        var source = _bed.ImpersonatingSource();

        var first = await source.GetTokenAsync(CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromMinutes(30)); // the refresh engine's default point: half the lifetime
        var second = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpGenerateIdToken));
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task GetTokenAsync_ThroughDelegate_NeedsEveryLinkGranted()
    {
        var middle = _bed.Issuer.Gcp.AddServiceAccount("hop@npgsql-jwtsso-test.iam.gserviceaccount.com", "101");
        _bed.Issuer.Gcp.GrantTokenCreator(_bed.Account, middle);
        _bed.Issuer.Gcp.GrantTokenCreator(middle, _bed.Target);

        var token = await _bed.ImpersonatingSource(o => o.Delegates.Add(middle.Email)).GetTokenAsync(CancellationToken.None);

        Assert.Equal(GcpTestBed.TargetId, token.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_NoTokenCreatorRole_FailsNamingRoleAndNotTransient()
    {
        var ungranted = _bed.Issuer.Gcp.AddServiceAccount("ungranted@npgsql-jwtsso-test.iam.gserviceaccount.com", "102");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.ImpersonatingSource(o => o.ImpersonateServiceAccount = ungranted.Email).GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.ToString());
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("roles/iam.serviceAccountOpenIdTokenCreator", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ungranted.Email, ex.Message, StringComparison.Ordinal);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_IamServerError_IsTransient()
    {
        _bed.Issuer.Gcp.GrantTokenCreator(_bed.Account, _bed.Target);
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpGenerateIdToken, IssuerFault.ServerError(503));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.ImpersonatingSource().GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.ToString());
        Assert.True(ex.IsTransient);
        Assert.Contains("generateIdToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_UserCredentialWithoutImpersonation_FailsAsConfigurationNamingOption()
    {
        const string UserJson = """{"type":"authorized_user","client_id":"id.apps.googleusercontent.com","client_secret":"s3cr3t-value","refresh_token":"1//refresh-secret"}""";
        var source = new GcpTokenSource(new GcpTokenSourceOptions { Audience = GcpTestBed.Audience, CredentialJson = UserJson }, _bed.Time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.Message);
        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("ImpersonateServiceAccount", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-secret", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", ex.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Workload identity federation: an external-account file whose subject token comes from a file.</summary>
public sealed class GcpTokenSourceFederationTests(ITestOutputHelper output, GcpBedFixture fixture) : IClassFixture<GcpBedFixture>, IDisposable
{
    private const string PoolAudience = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github";
    private readonly GcpTestBed _bed = fixture.Bed;
    private readonly string _subjectTokenFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_subjectTokenFile);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetTokenAsync_ExternalAccount_ImpersonatesThroughGenerateIdToken(bool impersonationInFile)
    {
        _bed.Reset();
        await File.WriteAllTextAsync(_subjectTokenFile, _bed.Issuer.MintToken("repo:org/app", "sts", TimeSpan.FromHours(1)));
        _bed.Issuer.Gcp.GrantTokenCreator(_bed.Issuer.Gcp.FederatedPrincipal(PoolAudience, "repo:org/app"), _bed.Target);
        var config = new Dictionary<string, object?>
        {
            ["type"] = "external_account",
            ["audience"] = PoolAudience,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["token_url"] = _bed.Issuer.Gcp.StsTokenUri.ToString(),
            ["credential_source"] = new Dictionary<string, object?> { ["file"] = _subjectTokenFile },
        };
        if (impersonationInFile)
        {
            config["service_account_impersonation_url"] = $"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{GcpTestBed.TargetEmail}:generateAccessToken";
        }

        var source = new GcpTokenSource(
            new GcpTokenSourceOptions
            {
                Audience = GcpTestBed.Audience,
                CredentialJson = System.Text.Json.JsonSerializer.Serialize(config),
                ImpersonateServiceAccount = impersonationInFile ? null : GcpTestBed.TargetEmail,
                IamCredentialsEndpoint = _bed.Issuer.Gcp.IamCredentialsEndpoint,
            },
            _bed.Time);

        var token = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpTestBed.TargetId, token.Subject);
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpStsToken));
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpGenerateIdToken));
    }

    [Fact]
    public async Task GetTokenAsync_ExternalAccountWithoutImpersonation_FailsAsConfiguration()
    {
        _bed.Reset();
        var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "external_account",
            ["audience"] = PoolAudience,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["token_url"] = _bed.Issuer.Gcp.StsTokenUri.ToString(),
            ["credential_source"] = new Dictionary<string, object?> { ["file"] = _subjectTokenFile },
        });
        var source = new GcpTokenSource(new GcpTokenSourceOptions { Audience = GcpTestBed.Audience, CredentialJson = json }, _bed.Time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.Message);
        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("workload identity federation", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ImpersonateServiceAccount", ex.Message, StringComparison.Ordinal);
    }
}
