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
