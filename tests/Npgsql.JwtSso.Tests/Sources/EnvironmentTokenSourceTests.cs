using Xunit;

namespace Npgsql.JwtSso.Tests.Sources;

// Each test uses its own variable name, so tests can run in parallel without touching each other's environment.
public sealed class EnvironmentTokenSourceContractTests : TokenSourceContract, IDisposable
{
    private readonly string _variable = $"JWTSSO_CONTRACT_{Guid.NewGuid():N}";

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
    {
        Environment.SetEnvironmentVariable(_variable, token);
        return ValueTask.FromResult<JwtTokenSource>(new EnvironmentTokenSource(_variable));
    }

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
    {
        Environment.SetEnvironmentVariable(_variable, "Bearer " + secret);
        return ValueTask.FromResult<JwtTokenSource>(new EnvironmentTokenSource(_variable));
    }

    protected override ValueTask<HangingSource?> CreateHangingAsync() => ValueTask.FromResult<HangingSource?>(null);
}

public sealed class EnvironmentTokenSourceTests : IDisposable
{
    private readonly string _variable = $"JWTSSO_TEST_{Guid.NewGuid():N}";

    public void Dispose() => Environment.SetEnvironmentVariable(_variable, null);

    [Fact]
    public void Name_IsEnvAndVariable()
    {
        var source = new EnvironmentTokenSource(_variable);

        Assert.Equal($"env:{_variable}", source.Name);
        Assert.Equal(_variable, source.VariableName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("A=B")]
    public void Ctor_InvalidName_ThrowsArgumentException(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new EnvironmentTokenSource(name));
        Assert.Equal("variableName", ex.ParamName);
    }

    [Fact]
    public async Task GetTokenAsync_VariableNotSet_ThrowsConfigurationNamingIt()
    {
        var source = new EnvironmentTokenSource(_variable);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Equal(source.Name, ex.SourceName);
        Assert.Contains($"environment variable {_variable} is not set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_VariableEmpty_ThrowsConfigurationSayingEmpty()
    {
        Environment.SetEnvironmentVariable(_variable, "   ");
        var source = new EnvironmentTokenSource(_variable);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains($"{_variable} is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_VariableChanged_ReturnsTheNewToken()
    {
        var source = new EnvironmentTokenSource(_variable);
        Environment.SetEnvironmentVariable(_variable, TestJwt.Contract("first"));
        var first = await source.GetTokenAsync(CancellationToken.None);

        Environment.SetEnvironmentVariable(_variable, TestJwt.Contract("second") + "\n");
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("first", first.Subject);
        Assert.Equal("second", second.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_OpaqueValue_ThrowsInvalidTokenNamingVariableWithoutValue()
    {
        Environment.SetEnvironmentVariable(_variable, "opaque-secret-value");
        var source = new EnvironmentTokenSource(_variable);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains(_variable, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-secret-value", ex.ToString(), StringComparison.Ordinal);
    }
}
