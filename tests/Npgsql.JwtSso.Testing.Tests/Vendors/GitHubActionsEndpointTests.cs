using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql.JwtSso.Testing.Tests.Issuer;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Vendors;

[Collection(GitHubActionsCollection.Name)]
public sealed class GitHubActionsLocalIssuerContractTests(GitHubActionsFixture fixture) : TokenSourceContract, IDisposable
{
    private IDisposable? _scope;
    private Action<IssuerRequest>? _onRequest;

    protected override bool ReturnsGivenToken => false;

    public void Dispose()
    {
        fixture.Issuer.RequestRecorded -= _onRequest;
        _scope?.Dispose();
    }

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
    {
        _scope = fixture.Enter();
        return ValueTask.FromResult<JwtTokenSource>(new GitHubActionsTokenSource("crdb"));
    }

    // The secret is the job's request token, sent to an issuer that expects another one.
    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
    {
        _scope = fixture.Enter(requestToken: secret);
        return ValueTask.FromResult<JwtTokenSource>(new GitHubActionsTokenSource("crdb"));
    }

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        _scope = fixture.Enter();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _onRequest = r =>
        {
            if (r.Endpoint == IssuerEndpointNames.GitHubActions)
            {
                waiting.TrySetResult();
            }
        };
        fixture.Issuer.RequestRecorded += _onRequest;
        fixture.Issuer.Faults.Set(IssuerEndpointNames.GitHubActions, IssuerFault.Hang());
        return ValueTask.FromResult<HangingSource?>(new HangingSource(new GitHubActionsTokenSource("crdb"), waiting.Task));
    }
}

[Collection(GitHubActionsCollection.Name)]
public sealed class GitHubActionsEndpointTests(GitHubActionsFixture fixture) : IDisposable
{
    private readonly IDisposable _scope = fixture.Enter();
    private readonly LocalJwtIssuer _issuer = fixture.Issuer;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public async Task GetTokenAsync_LocalIssuer_ReturnsGitHubShapedTokenForTheAudience()
    {
        var source = new GitHubActionsTokenSource("https://crdb.example/cluster a");

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("https://token.actions.githubusercontent.com", token.Issuer);
        Assert.Equal("repo:octo-org/octo-repo:ref:refs/heads/main", token.Subject);
        Assert.Equal(["https://crdb.example/cluster a"], token.Audiences);
        Assert.Equal(TestJwt.ContractIssuedAt + TimeSpan.FromHours(1), token.ExpiresOn);
        Assert.True(token.TryGetClaim("repository_owner", out var owner));
        Assert.Equal("octo-org", owner.GetString());
        var validation = await JwksVerifier.ValidateAsync(_issuer, token.Value, "https://crdb.example/cluster a", p => p.ValidIssuer = "https://token.actions.githubusercontent.com");
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task GetTokenAsync_LocalIssuer_RecordsOneRequestWithGitHubQuery()
    {
        await new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None);

        Assert.Equal(1, _issuer.RequestCount(IssuerEndpointNames.GitHubActions));
        var request = Assert.Single(_issuer.GetRequests());
        Assert.Equal("GET", request.Method);
        Assert.Equal("/github-actions/idtoken", request.Path);
        Assert.Equal(["api-version", "audience"], request.QueryKeys);
    }

    [Fact]
    public async Task Endpoint_NoAudience_UsesRepositoryOwnerUrlLikeGitHub()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _issuer.GitHubActionsRequestUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Options.GitHubActionsRequestToken);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = JwtToken.Parse(body.RootElement.GetProperty("value").GetString()!);
        Assert.Equal(["https://github.com/octo-org"], token.Audiences);
        Assert.Equal(token.Value.Length, body.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Endpoint_WithoutAuthorization_Answers401()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync(_issuer.GitHubActionsRequestUrl);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetTokenAsync_WrongRequestToken_Reports401WithPermissionHintAndNoToken()
    {
        using var wrong = fixture.Enter(requestToken: "wrong-request-token-value");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("HTTP 401", ex.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-request-token-value", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_Throttled_IsTransientWithRetryAfter()
    {
        _issuer.Faults.Set(IssuerEndpointNames.GitHubActions, IssuerFault.TooManyRequests(TimeSpan.FromSeconds(12)));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("HTTP 429", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(12), ex.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_ServerError_IsTransient()
    {
        _issuer.Faults.Set(IssuerEndpointNames.GitHubActions, IssuerFault.ServerError(502));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("HTTP 502", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_NonJwtValue_ThrowsInvalidToken()
    {
        _issuer.Faults.Set(IssuerEndpointNames.GitHubActions, IssuerFault.NonJwtToken());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.DoesNotContain("opaque-", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_GarbageJson_ThrowsSourceFailed()
    {
        _issuer.Faults.Set(IssuerEndpointNames.GitHubActions, IssuerFault.GarbageJson());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("\"value\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ConnectionReset_ThrowsTransientSourceFailed()
    {
        _issuer.Faults.Set(IssuerEndpointNames.GitHubActions, IssuerFault.ConnectionReset());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => new GitHubActionsTokenSource("crdb").GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.True(ex.IsTransient);
    }
}
