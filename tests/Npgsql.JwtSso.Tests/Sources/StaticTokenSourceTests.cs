using Xunit;

namespace Npgsql.JwtSso.Tests.Sources;

public sealed class StaticTokenSourceContractTests : TokenSourceContract
{
    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => ValueTask.FromResult<JwtTokenSource>(new StaticTokenSource(token));

    // Validates eagerly: the constructor throws.
    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
        => ValueTask.FromResult<JwtTokenSource>(new StaticTokenSource("Bearer " + secret));

    protected override ValueTask<HangingSource?> CreateHangingAsync() => ValueTask.FromResult<HangingSource?>(null);
}

public sealed class StaticTokenSourceTests
{
    [Fact]
    public void Ctor_NullText_ThrowsArgumentNull()
        => Assert.Throws<ArgumentNullException>(() => new StaticTokenSource((string)null!));

    [Fact]
    public void Ctor_NotAJwt_ThrowsInvalidTokenWithoutTheText()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new StaticTokenSource("opaque-access-token-value"));

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Equal("static", ex.SourceName);
        Assert.StartsWith("static returned text that is not a JWT: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-access-token-value", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_CalledTwice_ReturnsTheSameToken()
    {
        var text = TestJwt.Contract();
        var source = new StaticTokenSource(text + "\n");

        var first = await source.GetTokenAsync(CancellationToken.None);
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(text, first.Value);
        Assert.Same(first, second);
        Assert.Equal("static", source.Name);
    }

    [Fact]
    public async Task GetTokenAsync_FromParsedToken_KeepsRefreshHint()
    {
        var hint = TestJwt.ContractIssuedAt.AddMinutes(10);
        var source = new StaticTokenSource(JwtToken.Parse(TestJwt.Contract(), hint));

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(hint, token.RefreshOn);
    }
}
