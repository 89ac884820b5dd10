using Xunit;
using System.Net;
using System.Text;

namespace Npgsql.JwtSso.Tests.Cockroach;

/// <summary>JWKS auto-fetch as released CockroachDB versions do it (crdb-jwt-server.md §4), with the node's log texts.</summary>
public sealed class CockroachJwksFetcherTests
{
    private static readonly string Jwks = TestKeys.Set(TestKeys.RsaJwk());

    [Fact]
    public async Task FetchAsync_Discovery_TrimsOneTrailingSlashAndFollowsJwksUri()
    {
        var handler = new StubHandler(request => request.RequestUri!.AbsoluteUri switch
        {
            "https://idp.example/.well-known/openid-configuration" => Json(HttpStatusCode.OK, """{"issuer":"https://other.example","jwks_uri":"https://keys.example/certs"}"""),
            "https://keys.example/certs" => Json(HttpStatusCode.OK, Jwks),
            _ => Json(HttpStatusCode.NotFound, "{}"),
        });
        using var http = new HttpClient(handler);

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example/", null, Timeout.InfiniteTimeSpan, requireSuccessStatus: true);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(CockroachJwksFetchFailure.None, result.Failure);
        Assert.Equal("https://keys.example/certs", result.JwksUrl);
        Assert.Equal(Jwks, result.JwksJson);
        Assert.Equal("test_kid1", Assert.Single(result.Keys!.Keys).KeyId);
        Assert.Equal(["https://idp.example/.well-known/openid-configuration", "https://keys.example/certs"], handler.Requested);
    }

    [Fact]
    public async Task FetchAsync_MappedJwksUrl_SkipsDiscovery()
    {
        var handler = new StubHandler(_ => Json(HttpStatusCode.OK, Jwks));
        using var http = new HttpClient(handler);
        var setting = CockroachIssuersSetting.Parse("""{"issuer_jwks_map":{"https://idp.example":"https://idp.example/jwks"}}""");

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example", setting.GetJwksUrl("https://idp.example"), Timeout.InfiniteTimeSpan, requireSuccessStatus: false);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["https://idp.example/jwks"], handler.Requested);
    }

    [Fact]
    public async Task FetchAsync_IssuerThatIsNotAUrl_UnsupportedProtocolSchemeAsTheNodeLogsIt()
    {
        var handler = new StubHandler(_ => Json(HttpStatusCode.OK, Jwks));
        using var http = new HttpClient(handler);

        var result = await CockroachJwksFetcher.FetchAsync(http, "issuer1", null, Timeout.InfiniteTimeSpan, requireSuccessStatus: false);

        Assert.Equal(CockroachJwksFetchFailure.UnsupportedScheme, result.Failure);
        Assert.Equal("unable to fetch jwks: Get \"issuer1/.well-known/openid-configuration\": unsupported protocol scheme \"\"", result.Error);
        Assert.Empty(handler.Requested);
    }

    [Theory]
    [InlineData("""{"issuer":"https://idp.example"}""")]
    [InlineData("""{"jwks_uri":""}""")]
    [InlineData("not json")]
    public async Task FetchAsync_DiscoveryWithoutJwksUri_NoJwksUriFound(string discovery)
    {
        using var http = new HttpClient(new StubHandler(_ => Json(HttpStatusCode.OK, discovery)));

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example", null, Timeout.InfiniteTimeSpan, requireSuccessStatus: false);

        Assert.Equal(CockroachJwksFetchFailure.NoJwksUri, result.Failure);
        Assert.Equal("unable to fetch jwks: no JWKS URI found in OpenID configuration", result.Error);
        Assert.Equal("https://idp.example/.well-known/openid-configuration", result.FailedUrl);
    }

    [Fact]
    public async Task FetchAsync_Non2xxWhenSuccessRequired_HttpRequestFailedWithStatusAndBody()
    {
        using var http = new HttpClient(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("boom") }));

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example", "https://idp.example/jwks", Timeout.InfiniteTimeSpan, requireSuccessStatus: true);

        Assert.Equal(CockroachJwksFetchFailure.HttpStatus, result.Failure);
        Assert.Equal("403 Forbidden", result.Status);
        Assert.Equal("JWT authentication: HTTP request failed: GET https://idp.example/jwks returned 403 Forbidden: boom", result.Error);
    }

    [Fact]
    public async Task FetchAsync_Non2xxBeforeVersion26_2_BodyIsParsedAndFailsAsAKeySet()
    {
        using var http = new HttpClient(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("[]") }));

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example", "https://idp.example/jwks", Timeout.InfiniteTimeSpan, requireSuccessStatus: false);

        Assert.Equal(CockroachJwksFetchFailure.InvalidKeySet, result.Failure);
        Assert.Equal("unable to fetch jwks: failed to unmarshal JSON into key set: not a JSON object", result.Error);
    }

    [Fact]
    public async Task FetchAsync_TransportError_KeepsTheExceptionForTheCaller()
    {
        var cause = new HttpRequestException("Connection refused");
        using var http = new HttpClient(new StubHandler(_ => throw cause));

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example", "https://idp.example/jwks", Timeout.InfiniteTimeSpan, requireSuccessStatus: false);

        Assert.Equal(CockroachJwksFetchFailure.Transport, result.Failure);
        Assert.Same(cause, result.Exception);
        Assert.Equal("unable to fetch jwks: Get \"https://idp.example/jwks\": Connection refused", result.Error);
    }

    [Fact]
    public async Task FetchAsync_TimeoutElapsed_ClientTimeoutText()
    {
        // A zero timeout is already elapsed when the request starts: no wall-clock wait in the test.
        using var http = new HttpClient(new HangingHandler());

        var result = await CockroachJwksFetcher.FetchAsync(http, "https://idp.example", "https://idp.example/jwks", TimeSpan.Zero, requireSuccessStatus: false);

        Assert.Equal(CockroachJwksFetchFailure.Timeout, result.Failure);
        Assert.Equal("unable to fetch jwks: Get \"https://idp.example/jwks\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", result.Error);
    }

    [Fact]
    public async Task FetchAsync_CallerCancels_Throws()
    {
        using var http = new HttpClient(new HangingHandler());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CockroachJwksFetcher.FetchAsync(http, "https://idp.example", "https://idp.example/jwks", Timeout.InfiniteTimeSpan, requireSuccessStatus: false, cts.Token));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<string> Requested { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!.AbsoluteUri);
            return Task.FromResult(respond(request));
        }
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("not reached");
        }
    }
}
