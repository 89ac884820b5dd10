using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtTokenCacheOptionsTests
{
    // Regression: above about 49.7 days the timers behind these waits threw a raw ArgumentOutOfRangeException at the
    // first open; the setting is now refused when set, naming it.
    [Theory]
    [InlineData(nameof(JwtTokenCacheOptions.AcquireTimeout), 50 * 24 * 3600.0)]
    [InlineData(nameof(JwtTokenCacheOptions.SourceTimeout), 50 * 24 * 3600.0)]
    [InlineData(nameof(JwtTokenCacheOptions.AcquireTimeout), 2 * 3600.0)]
    [InlineData(nameof(JwtTokenCacheOptions.SourceTimeout), 0.0)]
    [InlineData(nameof(JwtTokenCacheOptions.AcquireTimeout), -5.0)]
    public void Set_TimeoutOutOfRange_ThrowsNamingTheSettingAndRange(string setting, double seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Set(new JwtTokenCacheOptions(), setting, TimeSpan.FromSeconds(seconds)));

        Assert.Equal(setting, ex.ParamName);
        Assert.Contains($"JwtTokenCacheOptions.{setting} must be between 1 ms and 1 hour", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(JwtTokenCacheOptions.AcquireTimeout))]
    [InlineData(nameof(JwtTokenCacheOptions.SourceTimeout))]
    public void Set_InfiniteTimeout_ThrowsSayingWhy(string setting)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Set(new JwtTokenCacheOptions(), setting, Timeout.InfiniteTimeSpan));

        Assert.Contains($"JwtTokenCacheOptions.{setting} cannot be Timeout.InfiniteTimeSpan", ex.Message, StringComparison.Ordinal);
    }

    // The ranges were DataAnnotations [Range] attributes, checked only by the DI validator (and a trim warning there);
    // without DI, RefreshAt = 0.99 or a negative SafetyMargin reached the engine. Each setter now refuses them.
    [Theory]
    [InlineData(nameof(JwtTokenCacheOptions.SafetyMargin), -1.0, "between 0 and 1 hour")]
    [InlineData(nameof(JwtTokenCacheOptions.SafetyMargin), 3601.0, "between 0 and 1 hour")]
    [InlineData(nameof(JwtTokenCacheOptions.AssumedLifetime), 0.5, "between 1 s and 7 days")]
    [InlineData(nameof(JwtTokenCacheOptions.AssumedLifetime), 8 * 24 * 3600.0, "between 1 s and 7 days")]
    [InlineData(nameof(JwtTokenCacheOptions.MinRetryDelay), 0.0, "between 1 ms and 1 hour")]
    [InlineData(nameof(JwtTokenCacheOptions.MaxRetryDelay), 2 * 24 * 3600.0, "between 1 ms and 1 day")]
    [InlineData(nameof(JwtTokenCacheOptions.RateLimitWindow), -1.0, "between 0 and 1 hour")]
    public void Set_TimeSpanOutOfRange_ThrowsNamingTheSettingAndRange(string setting, double seconds, string range)
    {
        var options = new JwtTokenCacheOptions();
        var value = TimeSpan.FromSeconds(seconds);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Set(options, setting, value));

        Assert.Equal(setting, ex.ParamName);
        Assert.Contains($"JwtTokenCacheOptions.{setting} must be {range}; it is {value:c}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.99)]
    [InlineData(1.5)]
    public void Set_RefreshAtOutsideFractionRange_ThrowsNamingTheSetting(double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new JwtTokenCacheOptions { RefreshAt = value });

        Assert.Equal(nameof(JwtTokenCacheOptions.RefreshAt), ex.ParamName);
        Assert.Contains("JwtTokenCacheOptions.RefreshAt must be between 0.05 and 0.95", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Set_RateLimitBurstOutOfRange_ThrowsNamingTheSetting(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new JwtTokenCacheOptions { RateLimitBurst = value });

        Assert.Contains($"JwtTokenCacheOptions.RateLimitBurst must be between 1 and 1000; it is {value}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_BoundaryValues_Accepted()
    {
        var options = new JwtTokenCacheOptions
        {
            RefreshAt = 0.95,
            SafetyMargin = TimeSpan.Zero,
            AssumedLifetime = TimeSpan.FromDays(7),
            MinRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromDays(1),
            RateLimitWindow = TimeSpan.Zero,
            RateLimitBurst = 1000,
        };

        Assert.Equal(0.95, options.RefreshAt);
        Assert.Equal(TimeSpan.FromDays(1), options.MaxRetryDelay);
    }

    [Theory]
    [InlineData(60, 30, 1, 1, "JwtTokenCacheOptions.AssumedLifetime (00:00:30) must be longer than SafetyMargin (00:01:00)")]
    [InlineData(1, 3600, 10, 5, "JwtTokenCacheOptions.MaxRetryDelay (00:00:05) must not be shorter than MinRetryDelay (00:00:10)")]
    public void Cache_ConflictingSettings_ConfigurationErrorNamingBoth(int marginSeconds, int assumedSeconds, int minRetrySeconds, int maxRetrySeconds, string expected)
    {
        var options = new JwtTokenCacheOptions
        {
            SafetyMargin = TimeSpan.FromSeconds(marginSeconds),
            AssumedLifetime = TimeSpan.FromSeconds(assumedSeconds),
            MinRetryDelay = TimeSpan.FromSeconds(minRetrySeconds),
            MaxRetryDelay = TimeSpan.FromSeconds(maxRetrySeconds),
        };

        var ex = Assert.Throws<JwtSsoException>(() => new JwtTokenCache(new StaticTokenSource(TestJwt.WithExpiry(DateTimeOffset.UnixEpoch, TimeSpan.FromHours(1))), options));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_LargestTimeouts_FetchesWithoutRangeErrors()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var options = new JwtTokenCacheOptions { AcquireTimeout = TimeSpan.FromHours(1), SourceTimeout = TimeSpan.FromHours(1) };
        using var cache = new JwtTokenCache(new DelegateTokenSource(_ => ValueTask.FromResult(TestJwt.WithExpiry(time.GetUtcNow(), TimeSpan.FromHours(1)))), options, time);

        var token = await cache.GetTokenAsync();

        Assert.Equal("bot", token.Subject);
    }

    private static void Set(JwtTokenCacheOptions options, string setting, TimeSpan value)
    {
        switch (setting)
        {
            case nameof(JwtTokenCacheOptions.AcquireTimeout): options.AcquireTimeout = value; break;
            case nameof(JwtTokenCacheOptions.SourceTimeout): options.SourceTimeout = value; break;
            case nameof(JwtTokenCacheOptions.SafetyMargin): options.SafetyMargin = value; break;
            case nameof(JwtTokenCacheOptions.AssumedLifetime): options.AssumedLifetime = value; break;
            case nameof(JwtTokenCacheOptions.MinRetryDelay): options.MinRetryDelay = value; break;
            case nameof(JwtTokenCacheOptions.MaxRetryDelay): options.MaxRetryDelay = value; break;
            case nameof(JwtTokenCacheOptions.RateLimitWindow): options.RateLimitWindow = value; break;
            default: throw new ArgumentException($"Unknown setting {setting}.", nameof(setting));
        }
    }
}
