using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>RefreshJitter: a fleet that fetched together refreshes spread out, earlier than RefreshAt and never later.</summary>
public sealed class RefreshJitterTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task RefreshJitter_ManyCachesFetchingTogether_RefreshPointsSpreadWithinJitterWindow()
    {
        var time = new TestTime();
        var fetchedAt = time.GetUtcNow();
        var refreshPoints = new List<DateTimeOffset>();
        for (var i = 0; i < 40; i++)
        {
            var source = new FakeTokenSource(time) { Handler = (_, _) => new ValueTask<JwtToken>(time.Token(Hour)) };
            using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { RefreshJitter = 0.2 }, time);
            await cache.GetTokenAsync().AsTask().WaitAsync(TestTime.HangGuard);
            refreshPoints.Add(cache.GetStatus().NextRefreshAt!.Value);
        }

        // RefreshAt 0.5 of 1 h = 30 min; 0.2 jitter pulls it earlier by up to 6 min.
        Assert.All(refreshPoints, p => Assert.InRange(p, fetchedAt + TimeSpan.FromMinutes(24), fetchedAt + TimeSpan.FromMinutes(30)));
        Assert.True(refreshPoints.Distinct().Count() >= 30, $"only {refreshPoints.Distinct().Count()} distinct refresh points among 40 caches");
    }

    [Fact]
    public async Task RefreshJitter_Default_RefreshesExactlyAtRefreshAt()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new ValueTask<JwtToken>(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync().AsTask().WaitAsync(TestTime.HangGuard);

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(30), cache.GetStatus().NextRefreshAt);
    }

    [Fact]
    public async Task RefreshJitter_TimerFiresAtJitteredPoint()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new ValueTask<JwtToken>(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { RefreshJitter = 0.5 }, time);
        await cache.GetTokenAsync().AsTask().WaitAsync(TestTime.HangGuard);
        var refreshAt = cache.GetStatus().NextRefreshAt!.Value;
        Assert.True(refreshAt < time.GetUtcNow() + TimeSpan.FromMinutes(30));

        time.Advance(refreshAt - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(1, source.Calls);
        source.Handler = null; // park the refresh, so the test sees when it starts
        time.Advance(TimeSpan.FromSeconds(1));
        await source.NextCallAsync();
        Assert.Equal(2, source.Calls);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(0.6)]
    public void RefreshJitter_OutOfRange_FailsNamingTheSetting(double jitter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new JwtTokenCacheOptions { RefreshJitter = jitter });
        Assert.Contains("JwtTokenCacheOptions.RefreshJitter", error.Message, StringComparison.Ordinal);
    }
}
