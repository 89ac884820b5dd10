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
        // Lazy mode has no timer, so only a lookup past the refresh point (the RefreshOn hint, 50 ms away) can start the
        // refresh. The refresh call is parked, so every lookup must keep serving the first token; the loop ends on the
        // source's own signal (the refresh call), not on a sleep.
        var refreshOn = TimeProvider.System.GetUtcNow().AddMilliseconds(50);
        var refreshCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parked = new TaskCompletionSource<JwtToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeTokenSource(TimeProvider.System)
        {
            Handler = (n, _) =>
            {
                if (n == 1)
                {
                    return ValueTask.FromResult(JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)), refreshOn: refreshOn));
                }

                refreshCalled.TrySetResult();
                return new ValueTask<JwtToken>(parked.Task);
            },
        };
        await using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { RefreshMode = JwtSsoRefreshMode.Lazy });
        var first = await cache.GetTokenAsync();
        Assert.True(cache.TryGetToken(out _));
        Assert.Equal(1, source.Calls);

        var guard = TimeProvider.System.GetTimestamp();
        while (!refreshCalled.Task.IsCompleted)
        {
            Assert.True(cache.TryGetToken(out var served));
            Assert.Same(first, served);
            Assert.True(TimeProvider.System.GetElapsedTime(guard) < TestTime.HangGuard, "the lookup past the refresh point should have started a refresh");
            await Task.Yield();
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
