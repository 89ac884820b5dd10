using System.Globalization;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Okta.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Okta.Tests;

/// <summary>Okta's shared rate-limit bucket and token reuse through <see cref="JwtTokenCache"/>; own issuer, since the bucket is org-wide.</summary>
public sealed class RateLimitAndCacheTests : IAsyncLifetime
{
    private readonly IssuerFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task TokenEndpoint_EveryResponse_CarriesRateLimitHeaders()
    {
        _fixture.Issuer.Okta.TokenRateLimit = 5;
        using var ok = await PostTokenAsync(_fixture.AddClient(c => c.AuthenticationMethod = "client_secret_post"));
        using var refused = await PostTokenAsync(new LocalOktaClient { ClientId = "0oaUnknown", ClientSecret = "x" });

        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("5", Header(ok, "X-Rate-Limit-Limit"));
        Assert.Equal("4", Header(ok, "X-Rate-Limit-Remaining"));
        Assert.Equal("3", Header(refused, "X-Rate-Limit-Remaining"));
        var reset = long.Parse(Header(refused, "X-Rate-Limit-Reset"), CultureInfo.InvariantCulture);
        Assert.InRange(reset - _fixture.Time.GetUtcNow().ToUnixTimeSeconds(), 1, 60);
    }

    [Fact]
    public async Task GetTokenAsync_BucketSharedByServersExhausted_429WithResetAsRetryAfter()
    {
        _fixture.Issuer.Okta.AddAuthorizationServer("aus2", "api://reports", ["crdb.login"]);
        _fixture.Issuer.Okta.TokenRateLimit = 2;
        var client = _fixture.AddClient();
        await _fixture.Source(client).GetTokenAsync(CancellationToken.None);
        await _fixture.Source(client, o => o.Issuer = LocalOktaOrg.IssuerFor(_fixture.Issuer.HttpUri, "aus2")).GetTokenAsync(CancellationToken.None);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => _fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        // The fake clock starts 30 s into a minute: the window resets in 30 s.
        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter);
        Assert.Contains("X-Rate-Limit-Remaining: 0", e.Message, StringComparison.Ordinal);

        _fixture.Time.Advance(e.RetryAfter!.Value);
        var token = await _fixture.Source(client).GetTokenAsync(CancellationToken.None);
        Assert.Equal(client.ClientId, token.Subject);
    }

    [Fact]
    public async Task JwtTokenCache_ManyCallers_OneTokenRequestUntilRefreshIsDue()
    {
        var client = _fixture.AddClient();
        await using var cache = new JwtTokenCache(_fixture.Source(client), new JwtSsoOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, _fixture.Time);

        var first = await cache.GetTokenAsync();
        var others = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => cache.GetTokenAsync().AsTask()));
        Assert.All(others, t => Assert.Same(first, t));
        Assert.Equal(1, _fixture.Issuer.RequestCount(IssuerEndpointNames.OktaToken));

        _fixture.Time.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(1)); // inside the 60 s safety margin
        var renewed = await cache.GetTokenAsync();

        Assert.NotEqual(first.Value, renewed.Value);
        Assert.True(renewed.ExpiresOn > first.ExpiresOn);
        Assert.Equal(2, _fixture.Issuer.RequestCount(IssuerEndpointNames.OktaToken));
    }

    private async Task<HttpResponseMessage> PostTokenAsync(LocalOktaClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _fixture.CustomIssuer + "/v1/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "crdb.login",
                ["client_id"] = client.ClientId,
                ["client_secret"] = client.ClientSecret!,
            }),
        };
        return await _fixture.Http.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();
}
