using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests;

public sealed class JwtSsoOptionsRangeTests
{
    // Regression: above about 49.7 days the timers behind these waits threw a raw ArgumentOutOfRangeException at the
    // first open; the setting is now refused when set, naming it.
    [Theory]
    [InlineData(nameof(JwtSsoOptions.AcquireTimeout), 50 * 24 * 3600.0)]
    [InlineData(nameof(JwtSsoOptions.SourceTimeout), 50 * 24 * 3600.0)]
    [InlineData(nameof(JwtSsoOptions.AcquireTimeout), 2 * 3600.0)]
    [InlineData(nameof(JwtSsoOptions.SourceTimeout), 0.0)]
    [InlineData(nameof(JwtSsoOptions.AcquireTimeout), -5.0)]
    public void Set_TimeoutOutOfRange_ThrowsNamingTheSettingAndRange(string setting, double seconds)
    {
        var options = new JwtSsoOptions();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Set(options, setting, TimeSpan.FromSeconds(seconds)));

        Assert.Equal(setting, ex.ParamName);
        Assert.Contains($"JwtSsoOptions.{setting} must be between 1 ms and 1 hour", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(JwtSsoOptions.AcquireTimeout))]
    [InlineData(nameof(JwtSsoOptions.SourceTimeout))]
    public void Set_InfiniteTimeout_ThrowsSayingWhy(string setting)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Set(new JwtSsoOptions(), setting, Timeout.InfiniteTimeSpan));

        Assert.Contains($"JwtSsoOptions.{setting} cannot be Timeout.InfiniteTimeSpan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_LargestTimeouts_FetchesWithoutRangeErrors()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var options = new JwtSsoOptions { AcquireTimeout = TimeSpan.FromHours(1), SourceTimeout = TimeSpan.FromHours(1) };
        using var cache = new JwtTokenCache(new DelegateTokenSource(_ => ValueTask.FromResult(TestJwt.WithExpiry(time.GetUtcNow(), TimeSpan.FromHours(1)))), options, time);

        var token = await cache.GetTokenAsync();

        Assert.Equal("bot", token.Subject);
    }

    private static void Set(JwtSsoOptions options, string setting, TimeSpan value)
    {
        if (setting == nameof(JwtSsoOptions.AcquireTimeout))
        {
            options.AcquireTimeout = value;
        }
        else
        {
            options.SourceTimeout = value;
        }
    }
}
