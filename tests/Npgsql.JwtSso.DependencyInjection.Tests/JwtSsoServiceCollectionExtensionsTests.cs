using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public class JwtSsoServiceCollectionExtensionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task StartAsync_MisspeltConfigurationKey_FailsNamingTheKeyAndSuggestion()
    {
        var source = new CountingTokenSource(_time);
        using var host = BuildHost(
            new() { ["JwtSso:SafetyMargn"] = "00:01:00", ["JwtSso:RefreshAt"] = "0.5" },
            (services, config) => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(source));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => host.StartAsync());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:SafetyMargn'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'SafetyMargin'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task StartAsync_MisspeltStartupKey_Fails()
    {
        using var host = BuildHost(
            new() { ["JwtSso:Startup:WarmUpp"] = "true" },
            (services, config) => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(new CountingTokenSource(_time)));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => host.StartAsync());
        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:Startup'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WarmUpp", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ConflictingOptions_ListsEveryErrorAtOnce()
    {
        using var host = BuildHost(
            new()
            {
                ["JwtSso:MinRetryDelay"] = "00:10:00",
                ["JwtSso:MaxRetryDelay"] = "00:01:00",
                ["JwtSso:SafetyMargin"] = "00:30:00",
                ["JwtSso:AssumedLifetime"] = "00:10:00",
                ["JwtSso:PrincipalClaim"] = " ",
            },
            (services, config) => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(new CountingTokenSource(_time)));

        // Two options types fail (cache and connection), so the host reports both, each with all its errors.
        var ex = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var all = ex.InnerExceptions.Select(e => Assert.IsType<OptionsValidationException>(e)).SelectMany(e => e.Failures).ToList();
        Assert.Contains(all, f => f.Contains("MinRetryDelay (00:10:00) must not exceed MaxRetryDelay (00:01:00)", StringComparison.Ordinal));
        Assert.Contains(all, f => f.Contains("SafetyMargin (00:30:00) must be shorter than AssumedLifetime (00:10:00)", StringComparison.Ordinal));
        Assert.Contains(all, f => f.Contains("JWT SSO connection options for instance '(default)': PrincipalClaim must name a claim", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("RefreshAt", "2", "JwtTokenCacheOptions.RefreshAt must be between 0.05 and 0.95; it is 2")]
    [InlineData("SafetyMargin", "02:00:00", "JwtTokenCacheOptions.SafetyMargin must be between 0 and 1 hour; it is 02:00:00")]
    [InlineData("MaxRetryDelay", "3.00:00:00", "JwtTokenCacheOptions.MaxRetryDelay must be between 1 ms and 1 day; it is 3.00:00:00")]
    [InlineData("RateLimitBurst", "0", "JwtTokenCacheOptions.RateLimitBurst must be between 1 and 1000; it is 0")]
    public async Task StartAsync_OptionOutOfRange_FailsNamingTheKeyAndRange(string key, string value, string expected)
    {
        using var host = BuildHost(
            new() { [$"JwtSso:{key}"] = value },
            (services, config) => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(new CountingTokenSource(_time)));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => host.StartAsync());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains($"'JwtSso:{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidIdentityMap_FailsBeforeAnyDataSourceIsBuilt()
    {
        var source = new CountingTokenSource(_time);
        using var host = BuildHost(
            new() { ["JwtSso:IdentityMap"] = "only-two fields" },
            (services, config) => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(source));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("IdentityMap is not a valid identity map", StringComparison.Ordinal));
        Assert.Equal(0, source.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StartAsync_InvalidCacheOptionsAndIdentityMap_ReportsBoth(bool workerTakesTheCache)
    {
        // The host resolves its hosted services before it runs the ValidateOnStart checks, so a worker that takes the
        // cache (or a data source built on it) creates the cache first: that must still report every invalid options
        // object of the instance, not only the cache options that the cache reads.
        var source = new CountingTokenSource(_time);
        using var host = BuildHost(
            new() { ["JwtSso:MinRetryDelay"] = "00:10:00", ["JwtSso:IdentityMap"] = "only-two fields" },
            (services, config) =>
            {
                services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(source);
                if (workerTakesTheCache)
                {
                    services.AddHostedService<CacheUser>();
                }
            });

        var ex = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var all = ex.InnerExceptions.Select(e => Assert.IsType<OptionsValidationException>(e)).SelectMany(e => e.Failures).ToList();
        Assert.Contains(all, f => f.Contains("JWT SSO cache options for instance '(default)': MinRetryDelay (00:10:00) must not exceed", StringComparison.Ordinal));
        Assert.Contains(all, f => f.Contains("JWT SSO connection options for instance '(default)': IdentityMap is not a valid identity map", StringComparison.Ordinal));
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public void Configure_EmptySection_ThrowsNamingTheSection()
    {
        var config = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();

        var ex = Assert.Throws<JwtSsoException>(() => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")));
        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WarmUp_FetchesTheFirstTokenBeforeAnyQuery()
    {
        var source = new CountingTokenSource(_time);
        using var host = BuildHost([], (services, _) => services.AddNpgsqlJwtSso().AddTokenSource(source));

        await host.StartAsync();

        Assert.Equal(1, source.Calls);
        var cache = host.Services.GetRequiredKeyedService<JwtTokenCache>(Options.DefaultName);
        Assert.True(cache.TryGetToken(out _));
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_WarmUpFailsWithFailFast_HostDoesNotStart()
    {
        var source = new CountingTokenSource(_time) { FailWith = new HttpRequestException("connection refused") };
        using var host = BuildHost([], (services, _) => services.AddNpgsqlJwtSso("orders").AddTokenSource(source));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => host.StartAsync());

        Assert.Contains("'orders'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FailFast", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WarmUpFailsWithoutFailFast_StartsAndReportsUnhealthy()
    {
        var source = new CountingTokenSource(_time) { FailWith = new HttpRequestException("connection refused") };
        using var host = BuildHost([], (services, _) =>
        {
            services.AddNpgsqlJwtSso().AddTokenSource(source).ConfigureStartup(s => s.FailFast = false);
            services.AddHealthChecks().AddJwtSso();
        });

        await host.StartAsync();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["jwtsso"].Status);
        Assert.Contains("No usable JWT from source 'counting'", report.Entries["jwtsso"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task HealthCheck_FreshToken_IsHealthyAndNeverShowsTheToken()
    {
        var source = new CountingTokenSource(_time);
        using var host = BuildHost([], (services, _) =>
        {
            services.AddNpgsqlJwtSso().AddTokenSource(source);
            services.AddHealthChecks().AddJwtSso();
        });
        await host.StartAsync();
        var cache = host.Services.GetRequiredKeyedService<JwtTokenCache>(Options.DefaultName);
        Assert.True(cache.TryGetToken(out var token));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["jwtsso"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        var shown = entry.Description + string.Join(";", entry.Data.Select(kv => $"{kv.Key}={kv.Value}"));
        foreach (var part in token.Value.Split('.'))
        {
            Assert.DoesNotContain(part, shown, StringComparison.Ordinal);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task NamedInstances_HaveSeparateSourcesCachesAndOptions()
    {
        var a = new CountingTokenSource(_time, "a");
        var b = new CountingTokenSource(_time, "b");
        using var host = BuildHost([], (services, _) =>
        {
            services.AddNpgsqlJwtSso("orders").AddTokenSource(a).ConfigureCache(o => o.SafetyMargin = TimeSpan.FromMinutes(2));
            services.AddNpgsqlJwtSso("billing").AddTokenSource(b);
        });

        await host.StartAsync();

        var orders = host.Services.GetRequiredKeyedService<JwtTokenCache>("orders");
        var billing = host.Services.GetRequiredKeyedService<JwtTokenCache>("billing");
        Assert.NotSame(orders, billing);
        Assert.Same(a, orders.Source);
        Assert.Same(b, billing.Source);
        Assert.Equal(TimeSpan.FromMinutes(2), orders.Options.SafetyMargin);
        Assert.Equal(TimeSpan.FromSeconds(60), billing.Options.SafetyMargin);
        Assert.Equal(1, a.Calls);
        Assert.Equal(1, b.Calls);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartAsync_NoTokenSource_FailsWithTheFix()
    {
        using var host = BuildHost([], (services, _) => services.AddNpgsqlJwtSso());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => host.StartAsync());
        Assert.Contains("No token source is registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddTokenSource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownSource_ListsRegisteredSources()
    {
        using var host = BuildHost(new() { ["JwtSso:Source"] = "Keycloack" }, (services, config) => services.AddNpgsqlJwtSso(config.GetSection("JwtSso")));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("'JwtSso:Source' is 'Keycloack'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Registered: Static, File, Environment, Command, GitHubActions.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddJwtSsoTokenSource(GcpTokenSource.Descriptor)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_OldProviderKey_FailsNamingTheSourceKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JwtSso:Provider"] = "File", ["JwtSso:File:Path"] = "/run/token" }).Build();

        var ex = Assert.Throws<JwtSsoException>(() => new ServiceCollection().AddNpgsqlJwtSso(configuration.GetSection("JwtSso")));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:Provider' is now 'JwtSso:Source'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_CustomRegistered_IsCreatedFromItsSection()
    {
        using var host = BuildHost(
            new() { ["JwtSso:Source"] = "test", ["JwtSso:Test:Name"] = "from-config" },
            (services, config) =>
            {
                services.AddSingleton(_time);
                services.AddSingleton<TimeProvider>(_time);
                services.AddJwtSsoTokenSource(TestSource);
                services.AddNpgsqlJwtSso(config.GetSection("JwtSso"));
            });

        await host.StartAsync();

        var cache = host.Services.GetRequiredKeyedService<JwtTokenCache>(Options.DefaultName);
        Assert.Equal("from-config", cache.Source.Name);
        await host.StopAsync();
    }

    private IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(_time);
        configure(builder.Services, builder.Configuration);
        return builder.Build();
    }

    /// <summary>A worker that takes the default instance's cache in its constructor, as one taking a data source does.</summary>
    private sealed class CacheUser(JwtTokenCache cache) : IHostedService
    {
        public JwtTokenCache Cache { get; } = cache;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A third-party source, plugged in through the public descriptor.</summary>
    private static readonly JwtTokenSourceDescriptor<TestSourceOptions> TestSource = new(
        "Test",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        options => options.Name is null ? ["Name is required."] : [],
        (options, context) => new CountingTokenSource(context.TimeProvider, options.Name!));

    private sealed class TestSourceOptions
    {
        public string? Name { get; set; }
    }
}
