using System.Text.Json;
using Xunit;

namespace Npgsql.JwtSso.Tests.Sources;

public sealed class GitHubActionsTokenSourceContractTests : TokenSourceContract, IDisposable
{
    private readonly FakeHttpServer _server = new();

    public void Dispose() => _server.Dispose();

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
    {
        _server.Respond = _ => new FakeHttpServer.Response(200, JsonSerializer.Serialize(new { count = 1, value = token }));
        return ValueTask.FromResult<JwtTokenSource>(GitHubActionsTokenSourceTests.Create(_server));
    }

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
    {
        _server.Respond = _ => new FakeHttpServer.Response(500, JsonSerializer.Serialize(new { message = "internal error while minting " + secret }));
        return ValueTask.FromResult<JwtTokenSource>(GitHubActionsTokenSourceTests.Create(_server));
    }

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        _server.Respond = _ => null;
        return ValueTask.FromResult<HangingSource?>(new HangingSource(GitHubActionsTokenSourceTests.Create(_server), _server.RequestReceived));
    }
}

public sealed class GitHubActionsTokenSourceTests : IDisposable
{
    internal const string RequestToken = "runtime-request-token-secret-value";
    private readonly FakeHttpServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task GetTokenAsync_SendsGitHubRequestShape()
    {
        var token = TestJwt.Contract("repo:my-org/my-repo:ref:refs/heads/main", "https://crdb.example/aud x");
        _server.Respond = _ => new FakeHttpServer.Response(200, JsonSerializer.Serialize(new { value = token }));
        var source = Create(_server, "https://crdb.example/aud x");

        var result = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(token, result.Value);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/_apis/idtoken?api-version=2.0&audience=https%3A%2F%2Fcrdb.example%2Faud%20x", request.PathAndQuery);
        Assert.Equal($"bearer {RequestToken}", request.Authorization);
        Assert.Equal("github-actions", source.Name);
    }

    [Fact]
    public async Task GetTokenAsync_UrlWithoutQuery_AppendsAudienceAsQuery()
    {
        _server.Respond = _ => new FakeHttpServer.Response(200, JsonSerializer.Serialize(new { value = TestJwt.Contract() }));
        var source = new GitHubActionsTokenSource("crdb", null, Env(_server.BaseUrl + "/idtoken", RequestToken));

        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("/idtoken?audience=crdb", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Theory]
    [InlineData("ACTIONS_ID_TOKEN_REQUEST_URL")]
    [InlineData("ACTIONS_ID_TOKEN_REQUEST_TOKEN")]
    public async Task GetTokenAsync_VariableMissing_ExplainsIdTokenWritePermission(string missing)
    {
        var env = new Dictionary<string, string?>
        {
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = _server.BaseUrl + "/_apis/idtoken?api-version=2.0",
            ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = RequestToken,
        };
        env.Remove(missing);
        var source = new GitHubActionsTokenSource("crdb", null, name => env.GetValueOrDefault(name));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Equal("github-actions", ex.SourceName);
        Assert.Contains($"{missing} is not set", ex.Message, StringComparison.Ordinal);
        Assert.Contains("permissions: id-token: write", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetTokenAsync_Forbidden_ReportsStatusAndPermissionHintWithoutRequestToken()
    {
        _server.Respond = _ => new FakeHttpServer.Response(403, $"{{\"message\":\"token {RequestToken} may not request id tokens\"}}");
        var source = Create(_server);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("HTTP 403", ex.Message, StringComparison.Ordinal);
        Assert.Contains("may not request id tokens", ex.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RequestToken, ex.ToString(), StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_ServiceUnavailableWithRetryAfter_IsTransientWithDelay()
    {
        _server.Respond = _ => new FakeHttpServer.Response(503, "{}", new Dictionary<string, string> { ["Retry-After"] = "7" });
        var source = Create(_server);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Theory]
    [InlineData("{\"count\":0}")]
    [InlineData("{\"value\":null}")]
    [InlineData("<html>proxy login</html>")]
    public async Task GetTokenAsync_ResponseWithoutValue_ThrowsSourceFailed(string body)
    {
        _server.Respond = _ => new FakeHttpServer.Response(200, body);
        var source = Create(_server);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("string \"value\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ValueNotAJwt_ThrowsInvalidTokenWithoutText()
    {
        _server.Respond = _ => new FakeHttpServer.Response(200, "{\"value\":\"opaque-value-secret\"}");
        var source = Create(_server);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.StartsWith("github-actions returned text that is not a JWT: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-value-secret", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ConnectionRefused_ThrowsTransientSourceFailed()
    {
        var url = _server.BaseUrl + "/_apis/idtoken?api-version=2.0";
        _server.Dispose();
        var source = new GitHubActionsTokenSource("crdb", null, Env(url, RequestToken));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task GetTokenAsync_HttpClientTimeout_ThrowsTimeout()
    {
        _server.Respond = _ => null;
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(100) };
        var source = Create(_server, httpClient: client);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Ctor_BlankAudience_ThrowsArgumentException(string audience)
        => Assert.Equal("audience", Assert.Throws<ArgumentException>(() => new GitHubActionsTokenSource(audience)).ParamName);

    internal static GitHubActionsTokenSource Create(FakeHttpServer server, string audience = "crdb", HttpClient? httpClient = null)
        => new(audience, httpClient, Env(server.BaseUrl + "/_apis/idtoken?api-version=2.0", RequestToken));

    private static Func<string, string?> Env(string url, string requestToken)
        => name => name switch
        {
            "ACTIONS_ID_TOKEN_REQUEST_URL" => url,
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN" => requestToken,
            _ => null,
        };
}
