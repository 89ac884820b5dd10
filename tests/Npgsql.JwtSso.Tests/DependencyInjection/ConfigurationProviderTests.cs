using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public sealed class ConfigurationProviderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly string _tokenFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_tokenFile);

    [Fact]
    public async Task Provider_File_ReadsTheTokenFromTheConfiguredPath()
    {
        var jwt = TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1), sub: "file_bot");
        await File.WriteAllTextAsync(_tokenFile, jwt);
        await using var provider = Build(new() { ["JwtSso:Provider"] = "File", ["JwtSso:File:Path"] = _tokenFile });

        var token = await provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty).GetTokenAsync();

        Assert.IsType<FileTokenSource>(provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
        Assert.Equal("file_bot", token.Subject);
    }

    [Fact]
    public async Task Provider_Static_ServesTheConfiguredToken()
    {
        var jwt = TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1), sub: "static_bot");
        await using var provider = Build(new() { ["JwtSso:Provider"] = "static", ["JwtSso:Static:Token"] = jwt });

        var token = await provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty).GetTokenAsync();

        Assert.Equal("static_bot", token.Subject);
    }

    [Theory]
    [InlineData("Environment", "VariableName", typeof(EnvironmentTokenSource))]
    [InlineData("GitHubActions", "Audience", typeof(GitHubActionsTokenSource))]
    [InlineData("Command", "FileName", typeof(CommandTokenSource))]
    public async Task Provider_BuiltIn_CreatesItsSource(string provider, string key, Type expected)
    {
        await using var services = Build(new() { ["JwtSso:Provider"] = provider, [$"JwtSso:{provider}:{key}"] = "value" });

        Assert.IsType(expected, services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
    }

    [Fact]
    public async Task Provider_MisspeltKeyInProviderSection_FailsNamingSectionAndKey()
    {
        await using var provider = Build(new() { ["JwtSso:Provider"] = "File", ["JwtSso:File:Pth"] = _tokenFile });

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:File'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Pth'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_RequiredKeyMissing_FailsNamingTheKey()
    {
        await using var provider = Build(new() { ["JwtSso:Provider"] = "Environment", ["JwtSso:Environment:VariableName"] = " " });

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'JwtSso:Environment:VariableName' is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_SectionMissing_FailsNamingTheSection()
    {
        await using var provider = Build(new() { ["JwtSso:Provider"] = "File", ["JwtSso:RefreshAt"] = "0.5" });

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'JwtSso:File' is missing or empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_OtherKnownProviderSectionPresent_IsToleratedSoProviderCanBeSwitched()
    {
        await File.WriteAllTextAsync(_tokenFile, TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1)));
        await using var provider = Build(new()
        {
            ["JwtSso:Provider"] = "File",
            ["JwtSso:File:Path"] = _tokenFile,
            ["JwtSso:Gcp:Audience"] = "crdb-prod",
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
        var settings = new Dictionary<string, string?> { ["JwtSso:Provider"] = "File", ["JwtSso:File:Path"] = _tokenFile, [key] = secret };
        await using var provider = Build(settings);

        var ex = Assert.Throws<JwtSsoException>(() => provider.GetRequiredService<IOptionsMonitor<JwtSsoOptions>>().Get(string.Empty) is null
            ? null
            : provider.GetRequiredService<IOptionsMonitor<JwtSsoStartupOptions>>().Get(string.Empty));

        Assert.Contains($"'{key}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddTokenSource_SecondSourceForTheSameInstance_ThrowsInsteadOfSilentlyReplacing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JwtSso:Provider"] = "File", ["JwtSso:File:Path"] = _tokenFile }).Build();
        var builder = new ServiceCollection().AddNpgsqlJwtSso(configuration.GetSection("JwtSso"));

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddStaticToken(TestJwt.WithExpiry(_time.GetUtcNow(), TimeSpan.FromHours(1))));

        Assert.Contains("already has a token source", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Provider'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Telemetry_PublicNames_MatchTheEngineMeterAndActivitySource()
    {
        Assert.Equal(JwtSsoTelemetry.MeterName, Npgsql.JwtSso.Internal.JwtSsoMetrics.Static.Meter.Name);
        Assert.Equal(JwtSsoTelemetry.ActivitySourceName, Npgsql.JwtSso.Internal.JwtSsoTelemetry.ActivitySource.Name);
        Assert.Equal(JwtSsoTelemetry.FetchesInstrument, Npgsql.JwtSso.Internal.JwtSsoMetrics.Static.Fetches.Name);
        Assert.Equal(JwtSsoTelemetry.CacheMissesInstrument, Npgsql.JwtSso.Internal.JwtSsoMetrics.Static.CacheMisses.Name);
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
