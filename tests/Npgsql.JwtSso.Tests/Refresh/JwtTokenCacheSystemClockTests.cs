using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>The hot path takes a cheaper clock when the cache runs on <see cref="TimeProvider.System"/>; these pin its behaviour.</summary>
public class JwtTokenCacheSystemClockTests
{
    [Fact]
    public async Task TryGetToken_SystemClock_ServesTheCachedTokenWithoutCallingTheSourceAgain()
    {
        var source = new FakeTokenSource(TimeProvider.System)
        {
            Handler = (_, _) => ValueTask.FromResult(JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)))),
        };
        await using var cache = new JwtTokenCache(source);

        var first = await cache.GetTokenAsync();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryGetToken(out var again));
            Assert.Same(first, again);
        }

        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task TryGetToken_SystemClockLazyModePastRefreshPoint_ServesCurrentTokenAndStartsOneRefresh()
    {
        // Lazy mode has no timer, so only a lookup past the refresh point can start the refresh. The test runs on the real
        // clock (the hot path's TickCount64 deadline is what it covers), so nothing here may depend on how fast the
        // machine is. The refresh point comes from RefreshAt (5 % of the time left when the cache stores the token), which
        // lies ahead of that moment however long the machine stalled before it (a RefreshOn hint would be ignored once
        // passed): with a 20 s token about 1 s later, and the token stays usable for about 15 s. The wait for the refresh
        // ends on the source's own signal, bounded only by the hang guard. The refresh call is parked, so every lookup in
        // between and after must keep serving the first token.
        var refreshCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = new TaskCompletionSource<JwtToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeTokenSource(TimeProvider.System)
        {
            Handler = (n, _) =>
            {
                if (n == 1)
                {
                    return ValueTask.FromResult(JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(20))));
                }

                refreshCalled.TrySetResult();
                return new ValueTask<JwtToken>(parked.Task);
            },
        };
        var options = new JwtTokenCacheOptions { RefreshMode = JwtSsoRefreshMode.Lazy, RefreshAt = 0.05, SafetyMargin = TimeSpan.FromSeconds(5), RefreshJitter = 0 };
        await using var cache = new JwtTokenCache(source, options);
        var first = await cache.GetTokenAsync();
        Assert.Equal(1, source.Calls);

        var guard = TimeProvider.System.GetTimestamp();
        var lookups = 0;
        while (!refreshCalled.Task.IsCompleted)
        {
            Assert.True(cache.TryGetToken(out var served));
            Assert.Same(first, served);
            lookups++;
            Assert.True(TimeProvider.System.GetElapsedTime(guard) < TestTime.HangGuard, $"no refresh started after {lookups} lookups; one past the refresh point should have started it");
            await Task.WhenAny(refreshCalled.Task, Task.Delay(5));
        }

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryGetToken(out var served));
            Assert.Same(first, served);
        }

        Assert.Equal(2, source.Calls);
        parked.SetResult(JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1))));
    }
}
