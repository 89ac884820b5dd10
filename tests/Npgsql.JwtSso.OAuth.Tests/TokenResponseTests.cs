using System.Net;
using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests;

/// <summary>What the source accepts from a token endpoint and how it reports the rest (stubbed HTTP).</summary>
public sealed class TokenResponseTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly StubHttpHandler _handler = new();

    [Fact]
    public async Task GetTokenAsync_DpopTokenType_InvalidTokenExplainingPasswordUse()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.OK, TestTokens.TokenJson(TestTokens.Mint(_time.GetUtcNow()), "DPoP"));

        var e = await FailAsync();

        Assert.Equal(JwtSsoErrorKind.InvalidToken, e.Kind);
        Assert.Contains("DPoP-bound", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be used as a database password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_CnfClaim_InvalidTokenSenderConstrained()
    {
        var bound = TestTokens.Mint(_time.GetUtcNow(), new Dictionary<string, object> { ["cnf"] = new Dictionary<string, object> { ["jkt"] = "abc" } });
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.OK, TestTokens.TokenJson(bound));

        var e = await FailAsync();

        Assert.Equal(JwtSsoErrorKind.InvalidToken, e.Kind);
        Assert.Contains("'cnf' claim", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_OpaqueToken_InvalidTokenWithoutTokenText()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.OK, TestTokens.TokenJson("8xLOxBtZp8"));

        var e = await FailAsync();

        Assert.Equal(JwtSsoErrorKind.InvalidToken, e.Kind);
        Assert.Contains("cannot verify", e.Message.Replace("can only verify", "cannot verify", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("8xLOxBtZp8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NoAccessToken_SourceFailed()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.OK, """{"token_type":"Bearer","expires_in":3600}""");

        var e = await FailAsync();

        Assert.Equal(JwtSsoErrorKind.SourceFailed, e.Kind);
        Assert.Contains("without an access_token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_429WithOnlyOktaResetHeader_NoRetryAfterAndNoOktaDetails()
    {
        // X-Rate-Limit-Reset is Okta's header: the generic grant reads only Retry-After (the Okta preset reads both).
        var reset = _time.GetUtcNow().AddSeconds(42).ToUnixTimeSeconds();
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.TooManyRequests, "{}", r =>
        {
            r.Headers.Add("X-Rate-Limit-Remaining", "0");
            r.Headers.Add("X-Rate-Limit-Reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

        var e = await FailAsync();

        Assert.True(e.IsTransient);
        Assert.Null(e.RetryAfter);
        Assert.DoesNotContain("X-Rate-Limit", e.Message, StringComparison.Ordinal);
        Assert.Contains("Keep one JwtTokenCache per identity", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_429WithRetryAfterDate_RetryAfterFromFakeClock()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.TooManyRequests, "{}", r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(_time.GetUtcNow().AddMinutes(2)));

        var e = await FailAsync();

        Assert.Equal(TimeSpan.FromMinutes(2), e.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_429WithoutHints_TransientWithoutRetryAfter()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.TooManyRequests, "{}");

        var e = await FailAsync();

        Assert.True(e.IsTransient);
        Assert.Null(e.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_503WithRetryAfter_TransientWithDelay()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(9)));

        var e = await FailAsync();

        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(9), e.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_404HtmlPage_NamesUrlToCheck()
    {
        _handler.On(TestTokens.TokenPath, _ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>nope</html>") });

        var e = await FailAsync();

        Assert.False(e.IsTransient);
        Assert.Contains("HTTP 404", e.Message, StringComparison.Ordinal);
        Assert.Contains("check Issuer/TokenEndpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NetworkFailure_TransientAndNamesEndpoint()
    {
        _handler.Throw = new HttpRequestException("Connection refused (127.0.0.1:5999)");

        var e = await FailAsync();

        Assert.True(e.IsTransient);
        Assert.IsType<HttpRequestException>(e.InnerException);
        Assert.Contains(TestTokens.TokenPath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_DescriptionEchoesJwt_Redacted()
    {
        var echoed = TestTokens.Mint(_time.GetUtcNow());
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.BadRequest, TestTokens.Error("invalid_request", "bad token " + echoed + " here"));

        var e = await FailAsync();

        Assert.Contains("bad token [redacted] here", e.Message, StringComparison.Ordinal);
        foreach (var part in echoed.Split('.'))
        {
            Assert.DoesNotContain(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetTokenAsync_Failure_MessageStartsWithSourceName()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.Unauthorized, TestTokens.Error("invalid_client", "The client secret supplied for a confidential client is invalid."));

        var e = await FailAsync();

        Assert.StartsWith("oauth:127.0.0.1:5999: ", e.Message, StringComparison.Ordinal);
        Assert.Equal("oauth:127.0.0.1:5999", e.SourceName);
        Assert.DoesNotContain(TestTokens.Secret, e.ToString(), StringComparison.Ordinal);
    }

    private async Task<JwtSsoException> FailAsync()
    {
        var source = new ClientCredentialsTokenSource(ClientCredentialsTokenSourceOptionsTests.Valid(), _handler, _time);
        return await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
    }
}
