using System.Text.Json;
using Npgsql.JwtSso.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>Service-account keys through the real Google.Apis.Auth code path against the fake OAuth token endpoint.</summary>
public sealed class GcpTokenSourceKeyTests(ITestOutputHelper output, GcpBedFixture fixture) : IClassFixture<GcpBedFixture>
{
    private readonly GcpTestBed _bed = Reset(fixture.Bed);

    private static GcpTestBed Reset(GcpTestBed bed)
    {
        bed.Reset();
        return bed;
    }

    [Fact]
    public async Task GetTokenAsync_ServiceAccountKey_ReturnsGoogleIdTokenForAudience()
    {
        var source = _bed.KeySource();

        var token = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.GoogleIssuer, token.Issuer);
        Assert.Equal([GcpTestBed.Audience], token.Audiences);
        Assert.Equal(GcpTestBed.ServiceAccountId, token.Subject);
        Assert.True(token.TryGetClaim("email", out var email));
        Assert.Equal(GcpTestBed.ServiceAccountEmail, email.GetString());
        Assert.True(token.TryGetClaim("email_verified", out var verified) && verified.GetBoolean());
        Assert.Equal(_bed.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), token.ExpiresOn!.Value.ToUnixTimeSeconds());
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task GetTokenAsync_CalledAgain_FetchesFreshTokenInsteadOfGooglesCachedOne()
    {
        var source = _bed.KeySource();

        var first = await source.GetTokenAsync(CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromMinutes(30));
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(first.ExpiresOn!.Value.AddMinutes(30), second.ExpiresOn);
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task GetTokenAsync_CalledInsideGooglesRefreshWindow_MakesExactlyOneRequest()
    {
        var source = _bed.KeySource();

        await source.GetTokenAsync(CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromMinutes(57)); // 3 min before exp: Google would refresh in the background
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.True(second.ExpiresOn - _bed.Time.GetUtcNow() > TimeSpan.FromMinutes(59));
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task JwtTokenCache_ManyOpens_CallsTokenEndpointOnce()
    {
        await using var cache = new JwtTokenCache(_bed.KeySource(), null, _bed.Time);

        var first = await cache.GetTokenAsync();
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetTokenAsync().AsTask())).WaitAsync(GcpTestBed.HangGuard);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(cache.TryGetToken(out var hot));
            Assert.Equal(first.Value, hot.Value);
        }

        Assert.All(all, t => Assert.Equal(first.Value, t.Value));
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task JwtTokenCache_NearExpiry_RefreshesWithGooglesClockOnTheSameFakeTime()
    {
        // The fake clock starts in 2031: were Google's library on the wall clock, every token would look
        // far in the future or long expired and the counts below would not hold.
        await using var cache = new JwtTokenCache(_bed.KeySource(), null, _bed.Time);
        var first = await cache.GetTokenAsync();

        _bed.Time.Advance(TimeSpan.FromMinutes(59.5));
        var second = await cache.GetTokenAsync().AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.NotEqual(first.Value, second.Value);
        Assert.True(second.ExpiresOn > first.ExpiresOn);
        Assert.True(second.ExpiresOn - _bed.Time.GetUtcNow() > TimeSpan.FromMinutes(30));
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task GetTokenAsync_AssertionSignedWithDeletedKey_FailsNamingKeyAndNotTransient()
    {
        var doomed = _bed.Issuer.Gcp.AddServiceAccount("doomed@npgsql-jwtsso-test.iam.gserviceaccount.com", "555");
        var keyJson = _bed.Issuer.Gcp.CreateServiceAccountKeyJson(doomed);
        _bed.Issuer.Gcp.DeleteKeys(doomed);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource(o => o.CredentialJson = keyJson).GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.Message);
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
        Assert.Contains("key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CredentialJson", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task GetTokenAsync_ServerError_IsTransient(int status)
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.ServerError(status));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.Message);
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Contains($"HTTP {status}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task GetTokenAsync_TooManyRequests_CarriesRetryAfter()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.TooManyRequests(TimeSpan.FromSeconds(42)));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.Message);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
        Assert.Contains("HTTP 429", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_FaultCleared_NextCallSucceeds()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.ServerError(), times: 1);
        var source = _bed.KeySource();

        await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(GcpTestBed.ServiceAccountId, token.Subject);
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
    }

    [Fact]
    public async Task GetTokenAsync_GarbageJson_FailsWithoutEchoingBody()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.GarbageJson());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.ToString());
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.DoesNotContain("eyJ", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NonJwtToken_FailsAsInvalidToken()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.NonJwtToken());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask());

        output.WriteLine(ex.ToString());
        Assert.DoesNotContain("opaque-", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
    }

    [Fact]
    public async Task GetTokenAsync_ExpiredToken_FailsAsInvalidToken()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.ExpiredToken());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));

        output.WriteLine(ex.ToString());
        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.DoesNotContain("eyJ", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ConnectionReset_IsTransient()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.ConnectionReset());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));

        output.WriteLine(ex.ToString());
        Assert.True(ex.IsTransient);
        Assert.Contains("token_uri", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_Hang_CancelledByCaller()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.Hang());
        using var cts = new CancellationTokenSource();
        var fetch = _bed.KeySource().GetTokenAsync(cts.Token).AsTask();
        while (_bed.Calls(IssuerEndpointNames.GcpOAuthToken) == 0 && !fetch.IsCompleted)
        {
            await Task.Yield();
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(GcpTestBed.HangGuard));
    }

    [Fact]
    public async Task GetTokenAsync_Failure_NeverRevealsTokenOrPrivateKey()
    {
        const string Secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJl";
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.OAuthError("invalid_grant", 400, "echo " + Secret));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => _bed.KeySource().GetTokenAsync(CancellationToken.None).AsTask());

        var key = JsonDocument.Parse(_bed.KeyJson).RootElement.GetProperty("private_key").GetString()!;
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(key[40..80], e.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToString_AfterFetch_ShowsNoTokenText()
    {
        var source = _bed.KeySource();
        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("gcp", source.ToString());
        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value.Split('.')[1], source.ToString() + token, StringComparison.Ordinal);
    }
}
