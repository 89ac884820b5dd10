using System.Net;
using System.Text.Json;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class IssuerFaultTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>, IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly LocalJwtIssuer _issuer = fixture.Reset();
    private readonly HttpClient _client = new() { BaseAddress = fixture.Issuer.HttpUri };

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task ServerError_Set_EndpointAnswersStatusWithJsonError()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ServerError(503));

        using var response = await PostTokenAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("server_error", body.RootElement.GetProperty("error").GetString());
        Assert.Contains("token", body.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyRequests_Set_Answers429WithRetryAfterSeconds()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.TooManyRequests(TimeSpan.FromSeconds(7)));

        using var response = await PostTokenAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task OAuthError_Set_AnswersStatusWithErrorCode()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.OAuthError("invalid_client", 401, "bad secret"));

        using var response = await PostTokenAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("bad secret", body.RootElement.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task GarbageJson_Set_BodyIsNotJson()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.GarbageJson());

        using var response = await PostTokenAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task NonJwtToken_Set_ResponseShapeKeptButTokenIsNotAJwt()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.NonJwtToken());

        var (token, expiresIn) = await ReadTokenResponseAsync();

        Assert.False(JwtToken.TryParse(token, out _));
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(3600, expiresIn);
    }

    [Fact]
    public async Task ExpiredToken_Set_TokenExpiredOnArrival()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ExpiredToken());

        var (token, _) = await ReadTokenResponseAsync();

        Assert.True(JwtToken.Parse(token).ExpiresOn < _issuer.Time.GetUtcNow());
    }

    [Fact]
    public async Task Latency_Set_NormalResponseAfterDelayAndFaultRecorded()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.Latency(TimeSpan.FromMilliseconds(50)));

        var (token, _) = await ReadTokenResponseAsync();

        Assert.True(JwtToken.TryParse(token, out _));
        Assert.Equal(IssuerFaultKind.Latency, _issuer.GetRequests().Single().Fault?.Kind);
    }

    [Fact]
    public async Task ConnectionReset_Set_ClientSeesTransportError()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ConnectionReset());

        await Assert.ThrowsAsync<HttpRequestException>(PostTokenAsync);
        Assert.Equal(1, _issuer.RequestCount(IssuerEndpointNames.Token));
    }

    [Fact]
    public async Task Hang_Set_NoResponseUntilClientCancels()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.Hang());
        var arrived = ArrivalOf(IssuerEndpointNames.Token);
        using var cts = new CancellationTokenSource();

        var request = PostTokenAsync(cts.Token);
        await arrived.WaitAsync(HangGuard);
        Assert.False(request.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    [Fact]
    public async Task SlowBody_Set_HeadersFirstThenBodyInSmallChunks()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.SlowBody(TimeSpan.FromSeconds(20), chunkSize: 8));
        using var request = new HttpRequestMessage(HttpMethod.Post, "token");

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var first = await body.ReadAsync(buffer).AsTask().WaitAsync(HangGuard);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(first, 1, 8);
    }

    [Fact]
    public async Task SlowBody_ShortPause_BodyArrivesIntact()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.SlowBody(TimeSpan.Zero, chunkSize: 3));

        var (token, expiresIn) = await ReadTokenResponseAsync();

        Assert.True(JwtToken.TryParse(token, out _));
        Assert.Equal(3600, expiresIn);
    }

    [Fact]
    public async Task Set_WithTimes_FaultsThatManyRequestsThenClears()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ServerError(), times: 2);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostTokenAsync();
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
        Assert.Null(_issuer.Faults.Get(IssuerEndpointNames.Token));
        Assert.Equal(3, _issuer.RequestCount(IssuerEndpointNames.Token));
    }

    [Fact]
    public async Task Clear_AfterSet_EndpointBehavesNormally()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ServerError());
        Assert.True(_issuer.Faults.Clear(IssuerEndpointNames.Token));

        using var response = await PostTokenAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_issuer.Faults.Clear(IssuerEndpointNames.Token));
    }

    [Fact]
    public async Task ClearAll_SeveralFaults_RemovesEvery()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ServerError());
        _issuer.Faults.Set(IssuerEndpointNames.Jwks, IssuerFault.ServerError());
        _issuer.Faults.ClearAll();

        using var token = await PostTokenAsync();
        using var jwks = await _client.GetAsync(new Uri(".well-known/jwks.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
    }

    [Fact]
    public async Task Set_OneEndpoint_OthersUnaffected()
    {
        _issuer.Faults.Set(IssuerEndpointNames.Discovery, IssuerFault.ServerError());

        using var token = await PostTokenAsync();
        using var discovery = await _client.GetAsync(new Uri(".well-known/openid-configuration", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, discovery.StatusCode);
    }

    [Fact]
    public void Factories_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IssuerFault.ServerError(404));
        Assert.Throws<ArgumentOutOfRangeException>(() => IssuerFault.OAuthError("x", 500));
        Assert.Throws<ArgumentOutOfRangeException>(() => IssuerFault.TooManyRequests(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => IssuerFault.SlowBody(TimeSpan.Zero, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _issuer.Faults.Set("x", IssuerFault.Hang(), 0));
        Assert.Throws<ArgumentException>(() => _issuer.Faults.Set("", IssuerFault.Hang()));
    }

    [Fact]
    public void ToString_Faults_NameKindAndParameters()
    {
        Assert.Equal("ServerError(503)", IssuerFault.ServerError(503).ToString());
        Assert.Equal("TooManyRequests(Retry-After 7s)", IssuerFault.TooManyRequests(TimeSpan.FromSeconds(7)).ToString());
        Assert.Equal("Hang", IssuerFault.Hang().ToString());
    }

    private Task<HttpResponseMessage> PostTokenAsync() => PostTokenAsync(CancellationToken.None);

    private Task<HttpResponseMessage> PostTokenAsync(CancellationToken cancellationToken) =>
        _client.PostAsync(new Uri("token", UriKind.Relative), new FormUrlEncodedContent([]), cancellationToken);

    private async Task<(string Token, long ExpiresIn)> ReadTokenResponseAsync()
    {
        using var response = await PostTokenAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("access_token").GetString()!, body.RootElement.GetProperty("expires_in").GetInt64());
    }

    private Task ArrivalOf(string endpoint)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _issuer.RequestRecorded += r =>
        {
            if (r.Endpoint == endpoint)
            {
                arrived.TrySetResult();
            }
        };
        return arrived.Task;
    }
}
