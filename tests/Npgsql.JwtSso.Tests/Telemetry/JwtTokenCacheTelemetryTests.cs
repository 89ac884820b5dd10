using System.Net.Http;
using Npgsql.JwtSso.Tests.Refresh;
using Xunit;

namespace Npgsql.JwtSso.Tests.Telemetry;

public sealed class JwtTokenCacheTelemetryTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Fetches_SuccessThenFailure_CountedByOutcomeWithDuration()
    {
        var name = $"metrics-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (n, _) => n == 2 ? throw new HttpRequestException("down") : new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();

        Assert.Equal([1.0], capture.Values("jwtsso.token.fetches", "success"));
        Assert.Equal([1.0], capture.Values("jwtsso.token.fetches", "failure"));
        Assert.Equal(2, capture.Values("jwtsso.token.fetch.duration").Length);
        Assert.All(capture.Values("jwtsso.token.fetch.duration"), d => Assert.True(d >= 0));
    }

    [Fact]
    public async Task CacheHitsAndMisses_Counted()
    {
        var name = $"hits-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        Assert.False(cache.TryGetToken(out _)); // miss
        await cache.GetTokenAsync(); // miss, then fetch
        for (var i = 0; i < 7; i++)
        {
            Assert.True(cache.TryGetToken(out _));
        }

        capture.Observe();

        Assert.Equal(2, capture.Values("jwtsso.token.cache.misses").Sum());
        Assert.Equal([7.0], capture.Values("jwtsso.token.cache.hits"));
    }

    [Fact]
    public async Task TimeToExpiry_Gauge_ReportsSecondsLeft()
    {
        var name = $"gauge-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync();

        time.Advance(TimeSpan.FromMinutes(10));
        capture.Observe();

        Assert.Equal([3000.0], capture.Values("jwtsso.token.time_to_expiry"));
    }

    [Fact]
    public async Task TimeToExpiry_DisposedCache_NoLongerReported()
    {
        var name = $"gone-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) };
        var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync();

        cache.Dispose();
        capture.Observe();

        Assert.Empty(capture.Values("jwtsso.token.time_to_expiry"));
    }

    [Fact]
    public async Task Fetch_EachSourceCall_OneActivityWithOutcome()
    {
        var name = $"trace-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (n, _) => n == 2 ? throw new HttpRequestException("down") : new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();

        var activities = capture.Activities.ToArray();
        Assert.Equal(2, activities.Length);
        Assert.All(activities, a => Assert.Equal("jwtsso.fetch", a.OperationName));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Unset, activities[0].Status);
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, activities[1].Status);
    }
}
