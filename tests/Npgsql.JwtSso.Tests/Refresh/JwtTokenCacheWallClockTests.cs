using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>After a suspend/resume or an NTP step the wall clock moves and the monotonic clock does not.</summary>
public sealed class JwtTokenCacheWallClockTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task WallClockJumpsPastExpiry_StatusSaysNoUsableToken()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        await JwtTokenCacheRefreshTests.FirstTokenAsync(cache, source, time, Hour);
        Assert.True(cache.GetStatus().HasUsableToken);

        time.WallClockJump = TimeSpan.FromHours(2);

        Assert.False(cache.GetStatus().HasUsableToken);
    }

    [Fact]
    public async Task WallClockJumpsPastExpiry_TimerDropsTokenAndRefreshes()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var first = await JwtTokenCacheRefreshTests.FirstTokenAsync(cache, source, time, Hour);

        time.WallClockJump = TimeSpan.FromHours(2);
        time.Advance(TimeSpan.FromMinutes(1)); // monotonic: 29 minutes before the refresh point

        var refresh = await source.NextCallAsync();
        Assert.False(cache.TryGetToken(out _));
        var waiter = cache.GetTokenAsync().AsTask();
        var second = time.Token(Hour);
        refresh.Succeed(second);
        Assert.Same(second, await waiter.WaitAsync(TestTime.HangGuard));
        Assert.NotSame(first, second);
        Assert.True(cache.GetStatus().HasUsableToken);
    }

    [Fact]
    public async Task WallClockJumpsPastExpiry_LazyLookupPastRefreshPointMissesInsteadOfServingExpiredToken()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, time);
        await JwtTokenCacheRefreshTests.FirstTokenAsync(cache, source, time, Hour);

        time.WallClockJump = TimeSpan.FromHours(2);
        time.Advance(TimeSpan.FromMinutes(31)); // monotonic: past the refresh point, before usable-until

        Assert.False(cache.TryGetToken(out var served));
        Assert.Null(served);
        var waiter = cache.GetTokenAsync().AsTask();
        var second = time.Token(Hour);
        (await source.NextCallAsync()).Succeed(second);
        Assert.Same(second, await waiter.WaitAsync(TestTime.HangGuard));
    }
}
