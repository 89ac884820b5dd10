using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtTokenCacheRefreshTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Timer_HalfLifetime_RefreshesInBackgroundWhileCallersGetOldToken()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var first = await FirstTokenAsync(cache, source, time, Hour);

        time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.Equal(1, source.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        var refresh = await source.NextCallAsync();

        Assert.Equal(2, source.Calls);
        Assert.True(cache.TryGetToken(out var during));
        Assert.Same(first, during);
        Assert.Same(first, await cache.GetTokenAsync());
        Assert.Same(first, cache.GetToken());

        var second = time.Token(Hour);
        refresh.Succeed(second);
        await cache.Refresher.PendingFetch!.WaitAsync(TestTime.HangGuard);

        Assert.Same(second, await cache.GetTokenAsync());
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Timer_RefreshOnHintEarlier_RefreshesAtHint()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var waiter = cache.GetTokenAsync().AsTask();
        (await source.NextCallAsync()).Succeed(time.Token(Hour).WithRefreshOn(time.GetUtcNow().AddMinutes(10)));
        await waiter.WaitAsync(TestTime.HangGuard);

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(1, source.Calls);
        time.Advance(TimeSpan.FromSeconds(1));

        await source.NextCallAsync();
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Timer_RefreshAtOption_RefreshesAtConfiguredFraction()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, new JwtSsoOptions { RefreshAt = 0.8 }, time);
        await FirstTokenAsync(cache, source, time, TimeSpan.FromMinutes(100));

        time.Advance(TimeSpan.FromMinutes(79));
        Assert.Equal(1, source.Calls);
        time.Advance(TimeSpan.FromMinutes(1));

        await source.NextCallAsync();
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task TryGetToken_RefreshHangsPastSafetyMargin_NeverServesToken()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        var options = new JwtSsoOptions { SourceTimeout = Hour, AcquireTimeout = TimeSpan.FromSeconds(5) };
        using var cache = new JwtTokenCache(source, options, time);
        await FirstTokenAsync(cache, source, time, TimeSpan.FromMinutes(10));

        time.Advance(TimeSpan.FromMinutes(5));
        await source.NextCallAsync(); // the refresh, left hanging
        time.Advance(TimeSpan.FromMinutes(4) - TimeSpan.FromSeconds(1));
        Assert.True(cache.TryGetToken(out _));
        time.Advance(TimeSpan.FromSeconds(1)); // now exactly exp - SafetyMargin

        Assert.False(cache.TryGetToken(out var token));
        Assert.Null(token);
        var waiter = cache.GetTokenAsync().AsTask();
        Assert.False(waiter.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => waiter.WaitAsync(TestTime.HangGuard));
        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.False(cache.GetStatus().HasUsableToken);
    }

    [Fact]
    public async Task GetTokenAsync_ExpiredOnArrival_ThrowsInvalidTokenOnceWithoutLooping()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, "stale") { Handler = (_, _) => new(JwtToken.Parse(TestJwt.WithExpiry(time.GetUtcNow().AddHours(-2), Hour))) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());
        await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Equal("stale", ex.SourceName);
        Assert.Contains("'stale'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-3600 s from now", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SafetyMargin", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task GetTokenAsync_LifetimeShorterThanMargin_AdaptsMarginToHalfTheRefreshWindow()
    {
        // 45 s tokens, default SafetyMargin 60 s and RefreshAt 0.5: the margin must stay below 45 × 0.5 = 22.5 s, so
        // half of that (11.25 s) is used: refresh at 22.5 s, usable until 33.75 s.
        var time = new TestTime();
        var logs = new RecordingLoggerFactory();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time, loggerFactory: logs);
        var start = time.GetUtcNow();

        await FirstTokenAsync(cache, source, time, TimeSpan.FromSeconds(45));

        Assert.Equal(start.AddSeconds(22.5), cache.GetStatus().RefreshAt);
        time.Advance(TimeSpan.FromSeconds(22.5));
        await source.NextCallAsync(); // the refresh, left hanging
        time.Advance(TimeSpan.FromSeconds(11.25) - TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGetToken(out _));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGetToken(out _));
        var warning = await logs.WaitForAsync(e => e.Id.Id == 8);
        Assert.Contains("SafetyMargin", warning.Message, StringComparison.Ordinal);
        Assert.Contains("RefreshAt", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_LifetimeTooShortForAnyMargin_ThrowsNamingBothSettingsAndWorkingValues()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, "tiny") { Handler = (_, _) => new(time.Token(TimeSpan.FromSeconds(3))) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains("'tiny'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lives only 3 s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SafetyMargin (60 s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RefreshAt (0.5)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set SafetyMargin below 1.5 s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least 4 s", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_LifetimeBarelyAboveMargin_RefreshesAtRefreshAtWithAdaptedMargin()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        await FirstTokenAsync(cache, source, time, TimeSpan.FromSeconds(100)); // margin 60 s ≥ 50 s: adapted to 25 s

        time.Advance(TimeSpan.FromSeconds(49));
        Assert.Equal(1, source.Calls);
        time.Advance(TimeSpan.FromSeconds(1));

        await source.NextCallAsync(); // the refresh at 50 s, left hanging
        time.Advance(TimeSpan.FromSeconds(25) - TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGetToken(out _));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGetToken(out _));
    }

    [Fact]
    public async Task GetTokenAsync_TokenWithoutExp_AssumesLifetime()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(JwtToken.Parse(TestJwt.Create(new { sub = "bot", iss = "https://issuer.example" }))) };
        using var cache = new JwtTokenCache(source, new JwtSsoOptions { AssumedLifetime = TimeSpan.FromMinutes(20) }, time);

        await cache.GetTokenAsync();

        var status = cache.GetStatus();
        Assert.Equal(time.GetUtcNow().AddMinutes(20), status.ExpiresOn);
        Assert.Equal(time.GetUtcNow().AddMinutes(10), status.RefreshAt);
        time.Advance(TimeSpan.FromMinutes(10));
        await cache.FetchAsync();
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task LazyMode_PastRefreshPoint_FirstCallerStartsRefreshAndGetsCurrentToken()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, new JwtSsoOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, time);
        var first = await FirstTokenAsync(cache, source, time, Hour);

        time.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(1, source.Calls); // no timer in lazy mode
        Assert.Null(cache.Refresher.PendingFetch);

        Assert.True(cache.TryGetToken(out var during));
        Assert.Same(first, during);
        var refresh = await source.NextCallAsync();
        Assert.Same(first, await cache.GetTokenAsync());
        Assert.Equal(2, source.Calls);

        var second = time.Token(Hour);
        refresh.Succeed(second);
        await cache.Refresher.PendingFetch!.WaitAsync(TestTime.HangGuard);
        Assert.Same(second, await cache.GetTokenAsync());
    }

    [Fact]
    public async Task LazyMode_NoUsableToken_CallerWaitsForFetch()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, new JwtSsoOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, time);
        await FirstTokenAsync(cache, source, time, Hour);

        time.Advance(TimeSpan.FromMinutes(59));
        var waiter = cache.GetTokenAsync().AsTask();
        var call = await source.NextCallAsync();
        Assert.False(waiter.IsCompleted);
        var fresh = time.Token(Hour);
        call.Succeed(fresh);

        Assert.Same(fresh, await waiter.WaitAsync(TestTime.HangGuard));
    }

    [Fact]
    public async Task ForceRefreshAsync_UsableToken_FetchesNewOne()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var first = await cache.GetTokenAsync();

        var forced = await cache.ForceRefreshAsync();

        Assert.NotSame(first, forced);
        Assert.Same(forced, await cache.GetTokenAsync());
        Assert.Equal(2, source.Calls);
    }

    internal static async Task<JwtToken> FirstTokenAsync(JwtTokenCache cache, FakeTokenSource source, TestTime time, TimeSpan lifetime)
    {
        var waiter = cache.GetTokenAsync().AsTask();
        var token = time.Token(lifetime);
        (await source.NextCallAsync()).Succeed(token);
        return await waiter.WaitAsync(TestTime.HangGuard);
    }
}
