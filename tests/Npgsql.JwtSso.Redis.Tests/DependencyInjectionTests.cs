using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using Xunit;

namespace Npgsql.JwtSso.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class DependencyInjectionTests(RedisServerFixture redis)
{
    [Fact]
    public async Task AddRedisTokenCache_InCode_EngineCallsTheSharedCache_InstancesShareOneFetch()
    {
        var clock = new TestClock();
        var issuer = new CountingSource(clock, "di-code");
        var prefix = "di" + Guid.NewGuid().ToString("N")[..8] + ":";
        var keyRing = new EphemeralDataProtectionProvider();
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IDataProtectionProvider>(keyRing);
            services.AddNpgsqlJwtSso()
                .AddRedisTokenCache(o =>
                {
                    o.Configuration = redis.Server.Configuration;
                    o.KeyPrefix = prefix;
                    o.Issuer = Jwts.Issuer;
                    o.Audience = Jwts.Audience;
                })
                .AddTokenSource(issuer); // order does not matter
            return services.BuildServiceProvider();
        }

        await using var first = Build();
        await using var second = Build();
        var cacheA = first.GetRequiredService<JwtTokenCache>();
        var cacheB = second.GetRequiredService<JwtTokenCache>();

        Assert.IsType<RedisTokenCacheSource>(cacheA.Source);
        Assert.Same(issuer, ((RedisTokenCacheSource)cacheA.Source).InnerSource);
        var a = await cacheA.GetTokenAsync();
        var b = await cacheB.GetTokenAsync();
        Assert.Equal(a.Value, b.Value);
        Assert.Equal(1, issuer.Calls);
    }

    [Fact]
    public async Task AddRedisTokenCache_FromAppSettings_BindsStrictly_AndHealthCheckReportsHealthy()
    {
        var clock = new TestClock();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JwtSso:Redis:Configuration"] = redis.Server.Configuration,
            ["JwtSso:Redis:Issuer"] = Jwts.Issuer,
            ["JwtSso:Redis:Audience"] = Jwts.Audience,
            ["JwtSso:Redis:OperationTimeout"] = "00:00:00.100",
            ["JwtSso:Redis:PartitionName"] = "eu",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingSource(clock, "di-config")).AddRedisTokenCache(configuration.GetSection("JwtSso:Redis"));
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddHealthChecks().AddJwtSsoRedisTokenCache();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<JwtTokenCache>().GetTokenAsync();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["jwtsso-redis"].Status);
    }

    [Fact]
    public void AddRedisTokenCache_MisspeltKey_FailsNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = "localhost",
            ["Redis:Issuer"] = Jwts.Issuer,
            ["Redis:Audeince"] = Jwts.Audience,
        }).Build();
        var services = new ServiceCollection();
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingSource(TimeProvider.System)).AddRedisTokenCache(configuration.GetSection("Redis"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<JwtSsoException>(() => provider.GetRequiredService<JwtTokenCache>());
        Assert.Contains("Audeince", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisTokenCache_WithoutDataProtection_FailsNamingTheFix()
    {
        var services = new ServiceCollection();
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingSource(TimeProvider.System))
            .AddRedisTokenCache(o => { o.Configuration = redis.Server.Configuration; o.Issuer = Jwts.Issuer; o.Audience = Jwts.Audience; });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<JwtSsoException>(() => provider.GetRequiredService<JwtTokenCache>());
        Assert.Equal(JwtSsoErrorKind.Configuration, error.Kind);
        Assert.Contains("AddDataProtection", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowUnencryptedTokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisTokenCache_Unencrypted_IsExplicitAndLoggedAsWarning()
    {
        using var capture = new Capture();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(capture);
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingSource(TimeProvider.System))
            .AddRedisTokenCache(o => { o.Configuration = redis.Server.Configuration; o.Issuer = Jwts.Issuer; o.Audience = Jwts.Audience; o.AllowUnencryptedTokens = true; });
        using var provider = services.BuildServiceProvider();

        _ = provider.GetRequiredService<JwtTokenCache>();

        Assert.Contains(capture.Logs, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Text.Contains("UNENCRYPTED", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(RedisTokenCacheOptions.Issuer))]
    [InlineData(nameof(RedisTokenCacheOptions.Audience))]
    [InlineData(nameof(RedisTokenCacheOptions.OperationTimeout))]
    public void Options_Unworkable_FailNamingTheSetting(string setting)
    {
        var options = new RedisTokenCacheOptions { Issuer = Jwts.Issuer, Audience = Jwts.Audience, AllowUnencryptedTokens = true };
        switch (setting)
        {
            case nameof(RedisTokenCacheOptions.Issuer): options.Issuer = null; break;
            case nameof(RedisTokenCacheOptions.Audience): options.Audience = " "; break;
            default: options.OperationTimeout = TimeSpan.FromMinutes(1); break;
        }

        var error = Assert.Throws<JwtSsoException>(() => Internal.RedisTokenCacheOptionsCheck.Check(options, hasDataProtection: false));
        Assert.Contains($"RedisTokenCacheOptions.{setting}", error.Message, StringComparison.Ordinal);
    }
}
