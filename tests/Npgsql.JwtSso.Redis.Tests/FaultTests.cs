using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Redis.Internal;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using Xunit;

namespace Npgsql.JwtSso.Redis.Tests;

/// <summary>
/// Redis down, slow, flushed, back: a fetch never waits on Redis longer than OperationTimeout, falls back to the
/// identity provider with a warning, a metric and a degraded health check, and recovers when Redis returns. Each test
/// breaks its own redis-server.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly TestRedis _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task RedisKilled_FetchesAlone_WarnsCountsDegrades_ThenRecoversWhenRedisReturns()
    {
        var clock = new TestClock();
        await using var bed = new Bed(_server);
        using var capture = new Capture();
        var issuer = new CountingSource(clock, "fault-killed");
        var instance = bed.Decorate(issuer, clock, logs: capture);
        var health = new RedisTokenCacheHealthCheck(instance);
        await instance.GetTokenAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Context())).Status);

        await _server.KillAsync();
        var during = await FetchBoundedAsync(instance, clock);

        Assert.Equal(2, issuer.Calls);
        Assert.Equal(Jwts.Issuer, during.Issuer);
        Assert.True(instance.IsDegraded);
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync(Context())).Status);
        Assert.Contains(capture.Logs, l => l.Level == LogLevel.Warning && l.Text.Contains("Redis is unavailable", StringComparison.Ordinal));
        Assert.True(capture.Sum("jwtsso.redis.fallbacks", issuer.Name) >= 1);

        await _server.StartAsync(); // same port, empty
        await TestClock.UntilAsync(() => bed.DatabaseAsync().Result.Multiplexer.IsConnected, "the client to reconnect");
        await instance.GetTokenAsync(CancellationToken.None); // writes again
        var shared = await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None);

        Assert.False(instance.IsDegraded);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(Context())).Status);
        Assert.Equal(3, issuer.Calls); // the second instance took the token the first one shared
        Assert.Contains(capture.Logs, l => l.Text.Contains("Redis answers again", StringComparison.Ordinal));
        Assert.NotNull(shared);
    }

    [Fact]
    public async Task RedisPaused_OperationTimesOutOnTheTimeProvider_FetchesAlone()
    {
        var clock = new TestClock();
        await using var bed = new Bed(_server);
        var issuer = new CountingSource(clock, "fault-paused");
        var instance = bed.Decorate(issuer, clock);
        await instance.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(31));

        await _server.Pause();
        try
        {
            var fetch = instance.GetTokenAsync(CancellationToken.None).AsTask();
            await TestClock.UntilAsync(() => instance.RedisCalls == 1, "the GET to be sent");
            clock.Advance(TimeSpan.FromMilliseconds(249));
            await Task.Delay(50); // real time: the GET must still be pending, Redis does not answer
            Assert.False(fetch.IsCompleted);
            Assert.Equal(1, issuer.Calls);

            clock.Advance(TimeSpan.FromMilliseconds(1)); // OperationTimeout (250 ms) reached
            var token = await fetch.WaitAsync(TestClock.HangGuard);

            Assert.Equal(2, issuer.Calls);
            Assert.True(instance.IsDegraded);
            Assert.Contains("OperationTimeout", instance.LastRedisError, StringComparison.Ordinal);
            Assert.NotNull(token);
        }
        finally
        {
            await _server.Resume();
        }
    }

    [Fact]
    public async Task RedisFlushed_NextFetchTakesTheLeaseAndSharesAgain()
    {
        var clock = new TestClock();
        await using var bed = new Bed(_server);
        var issuer = new CountingSource(clock, "fault-flushed");
        await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None);

        await (await bed.ServerAsync()).FlushAllDatabasesAsync();
        var after = await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None);
        var shared = await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, issuer.Calls);
        Assert.Equal(after.Value, shared.Value);
    }

    [Fact]
    public async Task RedisDown_EngineKeepsServingItsUsableToken_AndRefreshesAlone()
    {
        var clock = new TestClock();
        await using var bed = new Bed(_server);
        var issuer = new CountingSource(clock, "fault-engine");
        using var cache = new JwtTokenCache(bed.Decorate(issuer, clock), timeProvider: clock);
        var first = await cache.GetTokenAsync();

        await _server.Pause();
        try
        {
            clock.Advance(TimeSpan.FromMinutes(30)); // the refresh starts, and hangs on Redis
            Assert.True(cache.TryGetToken(out var during));
            Assert.Same(first, during);

            var decorator = (RedisTokenCacheSource)cache.Source;
            await TestClock.UntilAsync(() => decorator.RedisCalls == 1, "the refresh to reach Redis");
            clock.Advance(TimeSpan.FromMilliseconds(250));
            await TestClock.UntilAsync(() => cache.TryGetToken(out var t) && t.Value != first.Value, "the refresh to finish alone");

            Assert.True(cache.TryGetToken(out var refreshed));
            Assert.NotEqual(first.Value, refreshed.Value);
            Assert.Equal(2, issuer.Calls);
        }
        finally
        {
            await _server.Resume();
        }
    }

    private static async Task<JwtToken> FetchBoundedAsync(RedisTokenCacheSource instance, TestClock clock)
    {
        // A killed server fails fast (connection refused, FailFast backlog); the timeout on the clock bounds it otherwise.
        var fetch = instance.GetTokenAsync(CancellationToken.None).AsTask();
        while (!fetch.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(fetch, Task.Delay(10));
        }

        return await fetch;
    }

    private static HealthCheckContext Context() => new()
    {
        Registration = new HealthCheckRegistration("jwtsso-redis", _ => null!, HealthStatus.Degraded, null),
    };
}
