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
        // Lazy mode has no timer, so only a lookup past the refresh point (the RefreshOn hint, 200 ms away) can start the refresh.
        var refreshOn = TimeProvider.System.GetUtcNow().AddMilliseconds(200);
        var source = new FakeTokenSource(TimeProvider.System)
        {
            Handler = (n, _) => ValueTask.FromResult(JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)), refreshOn: n == 1 ? refreshOn : null)),
        };
        await using var cache = new JwtTokenCache(source, new JwtSsoOptions { RefreshMode = JwtSsoRefreshMode.Lazy });
        var first = await cache.GetTokenAsync();
        Assert.True(cache.TryGetToken(out _));
        Assert.Equal(1, source.Calls);

        while (TimeProvider.System.GetUtcNow() < refreshOn.AddMilliseconds(50))
        {
            await Task.Delay(20);
        }

        Assert.True(cache.TryGetToken(out var served));
        Assert.Same(first, served);
        Assert.True(await WaitForCallsAsync(source, 2), "the lookup past the refresh point should have started a refresh");
        Assert.Equal(2, source.Calls);
    }

    private static async Task<bool> WaitForCallsAsync(FakeTokenSource source, int calls)
    {
        // Real time here (system clock under test); the loop is a hang guard, not a timing assertion.
        for (var i = 0; i < 500 && source.Calls < calls; i++)
        {
            await Task.Delay(10);
        }

        return source.Calls >= calls;
    }
}
