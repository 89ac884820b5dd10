using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtTokenCacheHotPathTests
{
    [Fact]
    public async Task TryGetToken_CachedToken_AllocatesNothing()
    {
        var source = new FakeTokenSource(TimeProvider.System) { Handler = (_, _) => new(JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1)))) };
        using var cache = new JwtTokenCache(source);
        await cache.GetTokenAsync();
        Assert.True(cache.TryGetToken(out _)); // warm up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hits = 0;
        for (var i = 0; i < 10_000; i++)
        {
            hits += cache.TryGetToken(out _) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, hits);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task TryGetToken_PastRefreshPointWhileRefreshRuns_ServesCurrentWithoutSecondCall()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var first = await JwtTokenCacheRefreshTests.FirstTokenAsync(cache, source, time, TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromMinutes(30));
        await source.NextCallAsync();

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryGetToken(out var token));
            Assert.Same(first, token);
        }

        Assert.Equal(2, source.Calls);
    }
}
