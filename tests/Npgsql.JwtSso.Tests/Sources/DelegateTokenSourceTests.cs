using Xunit;

namespace Npgsql.JwtSso.Tests.Sources;

public sealed class DelegateTokenSourceContractTests : TokenSourceContract
{
    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => ValueTask.FromResult<JwtTokenSource>(new DelegateTokenSource(_ => ValueTask.FromResult(token), "my-idp"));

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
        => ValueTask.FromResult<JwtTokenSource>(new DelegateTokenSource(_ => ValueTask.FromResult("Bearer " + secret), "my-idp"));

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new DelegateTokenSource(
            async ct =>
            {
                waiting.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return "unreachable";
            },
            "my-idp");
        return ValueTask.FromResult<HangingSource?>(new HangingSource(source, waiting.Task));
    }
}

public sealed class DelegateTokenSourceTests
{
    [Fact]
    public void Name_NotGiven_IsDelegate()
        => Assert.Equal("delegate", new DelegateTokenSource(_ => ValueTask.FromResult(TestJwt.Contract())).Name);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Ctor_BlankName_ThrowsArgumentException(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DelegateTokenSource(_ => ValueTask.FromResult(TestJwt.Contract()), name));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Ctor_NullDelegate_ThrowsArgumentNull()
        => Assert.Throws<ArgumentNullException>(() => new DelegateTokenSource((Func<CancellationToken, ValueTask<string>>)null!));

    [Fact]
    public async Task GetTokenAsync_EachCall_InvokesTheDelegate()
    {
        var calls = 0;
        var source = new DelegateTokenSource(_ => ValueTask.FromResult(TestJwt.Contract(subject: $"user-{Interlocked.Increment(ref calls)}")));

        var first = await source.GetTokenAsync(CancellationToken.None);
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, calls);
        Assert.Equal("user-1", first.Subject);
        Assert.Equal("user-2", second.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_TokenOverload_KeepsRefreshHint()
    {
        var hint = TestJwt.ContractIssuedAt.AddMinutes(5);
        var source = new DelegateTokenSource(_ => ValueTask.FromResult(JwtToken.Parse(TestJwt.Contract(), hint)), "azure-like");

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(hint, token.RefreshOn);
        Assert.Equal("azure-like", source.Name);
    }

    [Fact]
    public async Task GetTokenAsync_DelegateThrows_WrapsWithTypeNameOnly()
    {
        var secret = TestJwt.Contract("inner-secret");
        var inner = new InvalidOperationException("idp said " + secret);
        var source = new DelegateTokenSource(Throwing(inner), "my-idp");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Equal("my-idp", ex.SourceName);
        Assert.Same(inner, ex.InnerException);
        Assert.Contains("InvalidOperationException", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
    }

    // Regression: a lambda that only throws fits both constructors; it used to be ambiguous (CS0121) and not compile.
    [Fact]
    public async Task Ctor_LambdaThatOnlyThrows_Compiles()
    {
        var unnamed = new DelegateTokenSource(_ => throw new NotSupportedException("no identity provider here"));
        var named = new DelegateTokenSource(_ => throw new NotSupportedException("no identity provider here"), "my-idp");
        var asyncLambda = new DelegateTokenSource(async _ => throw new NotSupportedException("no identity provider here"), "my-idp");

        foreach (var source in new[] { unnamed, named, asyncLambda })
        {
            var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
            Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
            Assert.IsType<NotSupportedException>(ex.InnerException);
        }
    }

    [Fact]
    public async Task GetTokenAsync_DelegateThrowsJwtSsoException_PassesItThrough()
    {
        var original = new JwtSsoException(JwtSsoErrorKind.Configuration, "my-idp", "my-idp: no client id configured.");
        var source = new DelegateTokenSource(Throwing(original), "my-idp");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Same(original, ex);
    }

    [Fact]
    public async Task GetTokenAsync_DelegateCancelledByItsOwnTimeout_ThrowsTimeout()
    {
        var source = new DelegateTokenSource(Throwing(new TaskCanceledException("HttpClient.Timeout elapsed")), "my-idp");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_DelegateReturnsNull_ThrowsSourceFailed()
    {
        var source = new DelegateTokenSource(_ => ValueTask.FromResult<string>(null!), "my-idp");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("returned null", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_DelegateReturnsOpaqueText_ThrowsInvalidTokenWithoutText()
    {
        var source = new DelegateTokenSource(_ => ValueTask.FromResult("ya29.opaque-google-access-token"), "my-idp");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.StartsWith("my-idp returned text that is not a JWT: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-google-access-token", ex.ToString(), StringComparison.Ordinal);
    }

    private static Func<CancellationToken, ValueTask<string>> Throwing(Exception ex) => _ => throw ex;
}
