using System.Net.Http;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtTokenCacheFailureTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Outage_LongerThanRefreshWindowShorterThanLifetime_NoFailedCallersAndBoundedCalls()
    {
        var time = new TestTime();
        var start = time.GetUtcNow();
        var outageEnds = start.AddMinutes(50);
        var source = new FakeTokenSource(time)
        {
            Handler = (n, _) => n > 1 && time.GetUtcNow() < outageEnds
                ? throw new HttpRequestException("identity provider unreachable")
                : new(time.Token(Hour)),
        };
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromMinutes(2) };
        using var cache = new JwtTokenCache(source, options, time);
        var first = await cache.GetTokenAsync();

        var failedCallers = 0;
        var served = 0;
        for (var second = 1; second <= 55 * 60; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.FetchAsync();
            try
            {
                await cache.GetTokenAsync();
                served++;
            }
            catch (JwtSsoException)
            {
                failedCallers++;
            }
        }

        var calls = source.CallTimes.ToArray();
        var gaps = calls.Zip(calls.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal(0, failedCallers);
        Assert.Equal(55 * 60, served);
        Assert.InRange(source.Calls, 5, 45); // 20 minutes of outage, backoff capped at 2 minutes: 18-37 calls in 20,000 simulations
        Assert.All(gaps, g => Assert.True(g >= options.MinRetryDelay, $"retry after {g}"));
        Assert.True(cache.TryGetToken(out var current));
        Assert.NotSame(first, current);
        Assert.Equal(0, cache.GetStatus().ConsecutiveFailures);
    }

    [Fact]
    public async Task Failure_RetryAfterReported_NotRetriedSooner()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time)
        {
            Handler = (n, _) => n == 2
                ? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, "fake", "Throttled.") { RetryAfter = TimeSpan.FromMinutes(5), IsTransient = true }
                : new(time.Token(Hour)),
        };
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { MaxRetryDelay = TimeSpan.FromMinutes(10) }, time);
        await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();
        Assert.Equal(2, source.Calls);
        var failedAt = time.GetUtcNow();

        Assert.Equal(failedAt.AddMinutes(5), cache.GetStatus().NextRetryAt);
        for (var i = 0; i < 299; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(cache.TryGetToken(out _));
            await cache.GetTokenAsync();
        }

        Assert.Equal(2, source.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        await cache.FetchAsync();
        Assert.Equal(3, source.Calls);
    }

    [Fact]
    public async Task Failure_RetryAfterBeyondMaxRetryDelayWhileServing_CappedAtMaxRetryDelay()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time)
        {
            Handler = (n, _) => n == 2
                ? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, "fake", "Throttled.") { RetryAfter = TimeSpan.FromHours(6), IsTransient = true }
                : new(time.Token(Hour)),
        };
        var options = new JwtTokenCacheOptions { MaxRetryDelay = TimeSpan.FromMinutes(2) };
        using var cache = new JwtTokenCache(source, options, time);
        await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();
        Assert.Equal(2, source.Calls);

        Assert.Equal(time.GetUtcNow() + options.MaxRetryDelay, cache.GetStatus().NextRetryAt);
        time.Advance(options.MaxRetryDelay);
        await cache.FetchAsync();
        Assert.Equal(3, source.Calls);
        Assert.Equal(0, cache.GetStatus().ConsecutiveFailures);
    }

    [Fact]
    public async Task Failure_RetryAfterHoursWithoutUsableToken_KeepsNoTokenPaceAndForceRefreshWorks()
    {
        var time = new TestTime();
        var down = true;
        var source = new FakeTokenSource(time)
        {
            Handler = (_, _) => down
                ? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, "fake", "Throttled.") { RetryAfter = TimeSpan.FromHours(6), IsTransient = true }
                : new(time.Token(Hour)),
        };
        var options = new JwtTokenCacheOptions { RefreshMode = JwtSsoRefreshMode.Lazy }; // no-token pace: RateLimitWindow / RateLimitBurst = 10 s
        using var cache = new JwtTokenCache(source, options, time);
        await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());
        Assert.Equal(time.GetUtcNow().AddSeconds(10), cache.GetStatus().NextRetryAt);

        down = false;
        var forced = cache.ForceRefreshAsync().AsTask();
        await WaitForClockAsync(cache);
        time.Advance(TimeSpan.FromSeconds(10));
        var token = await forced.WaitAsync(TestTime.HangGuard);

        Assert.NotNull(token);
        Assert.Equal(2, source.Calls);
    }

    private static async Task WaitForClockAsync(JwtTokenCache cache)
    {
        // Deterministic: the pending attempt reports when it waits for the (fake) clock; the loop only yields.
        var guard = TimeProvider.System.GetTimestamp();
        while (cache.Refresher.PendingFetch is not null && !cache.Refresher.IsWaitingForClock)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(guard) < TestTime.HangGuard, "the pending attempt never waited for the clock");
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Failure_LongBackoff_RetryScheduledBeforeTokenBecomesUnusable()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time)
        {
            Handler = (n, _) => n == 2 ? throw new HttpRequestException("down") : new(time.Token(TimeSpan.FromMinutes(10))),
        };
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromMinutes(30), MaxRetryDelay = TimeSpan.FromMinutes(30) };
        using var cache = new JwtTokenCache(source, options, time);
        await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        await cache.FetchAsync();

        var status = cache.GetStatus();
        var usableUntil = status.ExpiresOn!.Value - options.SafetyMargin;
        Assert.NotNull(status.NextRetryAt);
        Assert.True(status.NextRetryAt < usableUntil, $"retry at {status.NextRetryAt:u}, usable until {usableUntil:u}");

        time.Advance(status.NextRetryAt.Value - time.GetUtcNow());
        await cache.FetchAsync();
        Assert.Equal(3, source.Calls);
        Assert.True(cache.TryGetToken(out _));
    }

    [Fact]
    public async Task Failure_NoUsableToken_CachedOnlyUntilBackoffEnds()
    {
        var time = new TestTime();
        var down = true;
        var source = new FakeTokenSource(time) { Handler = (_, _) => down ? throw new HttpRequestException("down") : new(time.Token(Hour)) };
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromSeconds(10), RefreshMode = JwtSsoRefreshMode.Lazy };
        using var cache = new JwtTokenCache(source, options, time);

        var first = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());
        time.Advance(TimeSpan.FromSeconds(9));
        var second = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());
        Assert.NotSame(first, second); // each caller its own exception around the one cause
        Assert.Same(first.InnerException, second.InnerException);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(1, source.Calls);

        down = false;
        time.Advance(TimeSpan.FromSeconds(1));
        var token = await cache.GetTokenAsync();

        Assert.NotNull(token);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Failure_BackgroundMode_RetriesOnTimerWithGrowingBackoff()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => throw new HttpRequestException("down") };
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(8), RateLimitWindow = TimeSpan.Zero };
        using var cache = new JwtTokenCache(source, options, time);
        await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        for (var i = 0; i < 600; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.FetchAsync();
        }

        var calls = source.CallTimes.ToArray();
        var gaps = calls.Zip(calls.Skip(1), (a, b) => b - a).ToArray();
        Assert.InRange(source.Calls, 600 / 8, 600 / 2); // between every Max and (on average well above) every Min
        Assert.All(gaps, g => Assert.InRange(g, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(9)));
        Assert.Equal(source.Calls, cache.GetStatus().ConsecutiveFailures);
    }

    [Fact]
    public async Task RateLimit_RepeatedInvalidate_HoldsBurstPerWindow()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        var options = new JwtTokenCacheOptions { RateLimitBurst = 3, RateLimitWindow = TimeSpan.FromSeconds(30), AcquireTimeout = TimeSpan.FromMinutes(2) };
        using var cache = new JwtTokenCache(source, options, time);

        var token = await cache.GetTokenAsync();
        for (var i = 0; i < 2; i++)
        {
            cache.Invalidate(token);
            token = await cache.GetTokenAsync();
        }

        Assert.Equal(3, source.Calls);
        cache.Invalidate(token);
        var waiters = Enumerable.Range(0, 50).Select(_ => cache.GetTokenAsync().AsTask()).ToArray();
        for (var i = 0; i < 20; i++)
        {
            cache.Invalidate();
        }

        Assert.Equal(3, source.Calls);
        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        Assert.NotNull(cache.GetStatus().NextRetryAt);

        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(10));
        await Task.WhenAll(waiters).WaitAsync(TestTime.HangGuard);
        Assert.Equal(4, source.Calls);
    }

    [Fact]
    public async Task RateLimit_ForceRefreshLoop_CannotBypass()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        // SourceTimeout differs from the 30 s permit wait, so the timer awaited below can only be that wait.
        var options = new JwtTokenCacheOptions { RateLimitBurst = 2, RateLimitWindow = TimeSpan.FromMinutes(1), AcquireTimeout = TimeSpan.FromMinutes(2), SourceTimeout = TimeSpan.FromSeconds(10) };
        using var cache = new JwtTokenCache(source, options, time);

        await cache.ForceRefreshAsync();
        await cache.ForceRefreshAsync();
        var third = cache.ForceRefreshAsync().AsTask();

        Assert.Equal(2, source.Calls);
        Assert.False(third.IsCompleted);
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));
        await third.WaitAsync(TestTime.HangGuard);
        Assert.Equal(3, source.Calls);
    }

    [Fact]
    public async Task Invalidate_OldToken_KeepsNewerOne()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var old = await cache.GetTokenAsync();
        var current = await cache.ForceRefreshAsync();

        cache.Invalidate(old);

        Assert.True(cache.TryGetToken(out var still));
        Assert.Same(current, still);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Invalidate_CurrentTokenByValue_NextCallerFetchesFresh()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var rejected = await cache.GetTokenAsync();

        cache.Invalidate(JwtToken.Parse(rejected.Value));

        Assert.False(cache.TryGetToken(out _));
        var fresh = await cache.GetTokenAsync();
        Assert.NotEqual(rejected.Value, fresh.Value);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task GetStatus_AfterSuccessAndFailure_FillsEveryField()
    {
        var time = new TestTime();
        var start = time.GetUtcNow();
        var source = new FakeTokenSource(time, "status-src")
        {
            Handler = (n, _) => n == 2 ? throw new HttpRequestException("down") : new(time.Token(Hour)),
        };
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromSeconds(5) };
        using var cache = new JwtTokenCache(source, options, time);

        var empty = cache.GetStatus();
        Assert.Equal(new JwtTokenCacheStatus { SourceName = "status-src" }, empty);

        await cache.GetTokenAsync();
        var ok = cache.GetStatus();
        Assert.Equal(
            new JwtTokenCacheStatus { SourceName = "status-src", HasUsableToken = true, ExpiresOn = start.AddHours(1), NextRefreshAt = start.AddMinutes(30), LastRefreshed = start },
            ok);

        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();
        var failed = cache.GetStatus();
        Assert.True(failed.HasUsableToken);
        Assert.Equal(start.AddHours(1), failed.ExpiresOn);
        Assert.Equal(start, failed.LastRefreshed);
        Assert.Equal(1, failed.ConsecutiveFailures);
        Assert.Contains("'status-src'", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(time.GetUtcNow().AddSeconds(5), failed.NextRetryAt);
    }
}
