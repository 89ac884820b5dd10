using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public sealed class ConfigurationSourceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly string _tokenFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_tokenFile);

    [Fact]
    public async Task Source_File_ReadsTheTokenFromTheConfiguredPath()
    {
        var jwt = TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1), sub: "file_bot");
        await File.WriteAllTextAsync(_tokenFile, jwt);
        await using var provider = Build(new() { ["JwtSso:Source"] = "File", ["JwtSso:File:Path"] = _tokenFile });

        var token = await provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty).GetTokenAsync();

        Assert.IsType<FileTokenSource>(provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
        Assert.Equal("file_bot", token.Subject);
    }

    [Fact]
    public async Task Source_Static_ServesTheConfiguredToken()
    {
        var jwt = TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1), sub: "static_bot");
        await using var provider = Build(new() { ["JwtSso:Source"] = "static", ["JwtSso:Static:Token"] = jwt });

        var token = await provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty).GetTokenAsync();

        Assert.Equal("static_bot", token.Subject);
    }

    [Theory]
    [InlineData("Environment", "VariableName", typeof(EnvironmentTokenSource))]
    [InlineData("GitHubActions", "Audience", typeof(GitHubActionsTokenSource))]
    [InlineData("Command", "FileName", typeof(CommandTokenSource))]
    public async Task Source_BuiltIn_CreatesItsSource(string source, string key, Type expected)
    {
        await using var services = Build(new() { ["JwtSso:Source"] = source, [$"JwtSso:{source}:{key}"] = "value" });

        Assert.IsType(expected, services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
    }

    [Fact]
    public async Task Source_MisspeltKeyInSourceSection_FailsNamingSectionAndKey()
    {
        await using var provider = Build(new() { ["JwtSso:Source"] = "File", ["JwtSso:File:Pth"] = _tokenFile });

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:File'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Pth'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_RequiredKeyMissing_FailsNamingTheKey()
    {
        await using var provider = Build(new() { ["JwtSso:Source"] = "Environment", ["JwtSso:Environment:VariableName"] = " " });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'JwtSso:Environment'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("VariableName is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_SectionMissing_FailsNamingTheSection()
    {
        await using var provider = Build(new() { ["JwtSso:Source"] = "File", ["JwtSso:RefreshAt"] = "0.5" });

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'JwtSso:File' is missing or empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_OtherKnownSourceSectionPresent_IsToleratedSoSourceCanBeSwitched()
    {
        await File.WriteAllTextAsync(_tokenFile, TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1)));
        await using var provider = Build(new()
        {
            ["JwtSso:Source"] = "File",
            ["JwtSso:File:Path"] = _tokenFile,
            ["JwtSso:Static:Token"] = "kept for another environment",
        });

        var cache = provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty);

        Assert.Equal("bot", (await cache.GetTokenAsync()).Subject);
    }

    [Theory]
    [InlineData("JwtSso:SafetyMargin")]
    [InlineData("JwtSso:Startup:FailFast")]
    public async Task Binding_UnconvertibleValue_ErrorNamesTheKeyButNeverTheValue(string key)
    {
        const string secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl";
        var settings = new Dictionary<string, string?> { ["JwtSso:Source"] = "File", ["JwtSso:File:Path"] = _tokenFile, [key] = secret };
        await using var provider = Build(settings);

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredService<IOptionsMonitor<JwtTokenCacheOptions>>().Get(string.Empty) is null
            ? null
            : provider.GetRequiredService<IOptionsMonitor<JwtSsoStartupOptions>>().Get(string.Empty));

        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddTokenSource_SecondSourceForTheSameInstance_ThrowsInsteadOfSilentlyReplacing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JwtSso:Source"] = "File", ["JwtSso:File:Path"] = _tokenFile }).Build();
        var builder = new ServiceCollection().AddNpgsqlJwtSso(configuration.GetSection("JwtSso"));

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddStaticToken(TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1))));

        Assert.Contains("already has a token source", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Source'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTokenSource_AnotherSourceInCode_FailsNamingBoth()
    {
        var builder = new ServiceCollection().AddNpgsqlJwtSso("orders").AddTokenFile(_tokenFile);

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddEnvironmentToken("CRDB_JWT"));

        Assert.Contains("'orders' already has a token source ('File' (from code))", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Environment' (from code)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddTokenSource_SameSourceInConfigurationAndCode_CodeAddsToTheBoundOptions()
    {
        var command = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JwtSso:Source"] = "Command",
            ["JwtSso:Command:FileName"] = "gcloud",
            ["JwtSso:Command:Arguments:0"] = "auth",
        }).Build();
        var services = new ServiceCollection();
        services.AddNpgsqlJwtSso(command.GetSection("JwtSso")).AddCommand(o => o.Arguments.Add("print-identity-token"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<CommandTokenSourceOptions>>().Get(string.Empty);

        Assert.Equal("gcloud", options.FileName);
        Assert.Equal(["auth", "print-identity-token"], options.Arguments);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddNpgsqlJwtSso(configuration.GetSection("JwtSso"));
        return services.BuildServiceProvider();
    }
}
