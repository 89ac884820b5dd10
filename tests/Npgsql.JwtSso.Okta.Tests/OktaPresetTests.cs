using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.Okta.Tests;

/// <summary>What the Okta preset adds to the generic grant, seen on the wire (stubbed HTTP at an Okta-shaped URL).</summary>
public sealed class OktaPresetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly StubHttpHandler _handler = new();

    [Fact]
    public async Task GetTokenAsync_429WithOktaResetHeader_RetryAfterFromFakeClock()
    {
        var reset = _time.GetUtcNow().AddSeconds(42).ToUnixTimeSeconds();
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.TooManyRequests, """{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}""", r =>
        {
            r.Headers.Add("X-Rate-Limit-Limit", "600");
            r.Headers.Add("X-Rate-Limit-Remaining", "0");
            r.Headers.Add("X-Rate-Limit-Reset", reset.ToString(CultureInfo.InvariantCulture));
        });

        var e = await FailAsync();

        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(42), e.RetryAfter);
        Assert.Contains("X-Rate-Limit-Remaining: 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("share one rate-limit bucket", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_503WithOktaResetHeader_ResetNotCountedOutside429()
    {
        var reset = _time.GetUtcNow().AddSeconds(42).ToUnixTimeSeconds();
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.ServiceUnavailable, "{}", r => r.Headers.Add("X-Rate-Limit-Reset", reset.ToString(CultureInfo.InvariantCulture)));

        var e = await FailAsync();

        Assert.True(e.IsTransient);
        Assert.Null(e.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_GenericRequestOptions_SentToDerivedTokenEndpoint()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.OK, TestTokens.TokenJson(TestTokens.Mint(_time.GetUtcNow())));
        var options = Options();
        options.AuthenticationMethod = OAuth.ClientAuthenticationMethod.ClientSecretPost;
        options.Audience = "api://default";
        options.Resources.Add("https://crdb.example/");
        options.AdditionalParameters["x-extra"] = "1";

        var source = new OktaTokenSource(options, _handler, _time);
        await source.GetTokenAsync(CancellationToken.None);

        var request = Assert.Single(_handler.Requests);
        Assert.Equal(TestTokens.TokenPath, request.Path);
        Assert.Equal(TestTokens.Base + TestTokens.TokenPath, source.TokenEndpoint!.AbsoluteUri);
        Assert.Equal(TestTokens.ClientId, request.Form["client_id"]);
        Assert.Equal("crdb.login", request.Form["scope"]);
        Assert.Equal("api://default", request.Form["audience"]);
        Assert.Equal("https://crdb.example/", request.Form["resource"]);
        Assert.Equal("1", request.Form["x-extra"]);
    }

    [Fact]
    public async Task GetTokenAsync_OpaqueToken_OktaHint()
    {
        _handler.OnJson(TestTokens.TokenPath, HttpStatusCode.OK, TestTokens.TokenJson("8xLOxBtZp8"));

        var e = await FailAsync();

        Assert.Equal(JwtSsoErrorKind.InvalidToken, e.Kind);
        Assert.Contains("Okta's custom authorization servers issue JWT access tokens", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("okta: ", e.Message, StringComparison.Ordinal);
    }

    private static OktaTokenSourceOptions Options()
    {
        var options = new OktaTokenSourceOptions { Issuer = new Uri(TestTokens.CustomIssuer), ClientId = TestTokens.ClientId, ClientSecret = TestTokens.Secret };
        options.Scopes.Add("crdb.login");
        return options;
    }

    private async Task<JwtSsoException> FailAsync()
    {
        var source = new OktaTokenSource(Options(), _handler, _time);
        return await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
    }
}
