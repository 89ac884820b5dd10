using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtTokenCacheAcquireTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task GetTokenAsync_ThousandConcurrentColdCallers_CallsSourceOnce()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await cache.GetTokenAsync();
            }))
            .ToArray();
        start.Set();
        var call = await source.NextCallAsync();
        var token = time.Token(Hour);
        call.Succeed(token);
        var results = await Task.WhenAll(callers).WaitAsync(TestTime.HangGuard);

        Assert.Equal(1, source.Calls);
        Assert.All(results, r => Assert.Same(token, r));
    }

    [Fact]
    public async Task GetTokenAsync_CachedToken_DoesNotCallSourceAgain()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var first = await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(29));
        var second = await cache.GetTokenAsync();

        Assert.Same(first, second);
        Assert.True(cache.TryGetToken(out var third));
        Assert.Same(first, third);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public void TryGetToken_Cold_ReturnsFalseWithoutCallingSource()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);

        Assert.False(cache.TryGetToken(out var token));
        Assert.Null(token);
        Assert.Equal(0, source.Calls);
    }

    [Fact]
    public async Task GetTokenAsync_SourceThrowsForeignException_WrapsAsSourceFailedNamingSource()
    {
        var time = new TestTime();
        var original = new InvalidOperationException("metadata server said no");
        var source = new FakeTokenSource(time, "gcp-test") { Handler = (_, _) => throw original };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Equal("gcp-test", ex.SourceName);
        Assert.Same(original, ex.InnerException);
        Assert.Contains("'gcp-test'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Check", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_SourceThrowsJwtSsoException_PassesItThrough()
    {
        var time = new TestTime();
        var original = new JwtSsoException(JwtSsoErrorKind.Configuration, "fake", "Audience missing; set Audience.");
        var source = new FakeTokenSource(time) { Handler = (_, _) => throw original };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        // The caller gets its own exception with the source's kind, name and message; the source's is the cause.
        Assert.Equal(original.Kind, ex.Kind);
        Assert.Equal(original.SourceName, ex.SourceName);
        Assert.Equal(original.Message, ex.Message);
        Assert.Same(original, ex.InnerException);
    }

    [Fact]
    public async Task GetTokenAsync_SourceReturnsNull_FailsNamingSource()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, "broken") { Handler = (_, _) => new((JwtToken)null!) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("'broken'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_SourceNeverCompletes_TimesOutAfterAcquireTimeout()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, "hang");
        var options = new JwtTokenCacheOptions { AcquireTimeout = TimeSpan.FromSeconds(5), SourceTimeout = TimeSpan.FromMinutes(10) };
        using var cache = new JwtTokenCache(source, options, time);

        var caller = cache.GetTokenAsync().AsTask();
        await source.NextCallAsync();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(caller.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => caller.WaitAsync(TestTime.HangGuard));

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.Equal("hang", ex.SourceName);
        Assert.Contains("AcquireTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task GetTokenAsync_SourceIgnoresCancellation_BoundedBySourceTimeout()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, "slow");
        var options = new JwtTokenCacheOptions { AcquireTimeout = TimeSpan.FromMinutes(5), SourceTimeout = TimeSpan.FromSeconds(10) };
        using var cache = new JwtTokenCache(source, options, time);

        var caller = cache.GetTokenAsync().AsTask();
        var call = await source.NextCallAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => caller.WaitAsync(TestTime.HangGuard));

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.Contains("SourceTimeout", ex.Message, StringComparison.Ordinal);
        Assert.True(call.CancellationToken.IsCancellationRequested);
    }

    [Fact]
    public async Task GetTokenAsync_OneCallerCancelled_OthersStillGetSharedFetch()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        using var cache = new JwtTokenCache(source, timeProvider: time);
        using var cts = new CancellationTokenSource();

        var cancelled = cache.GetTokenAsync(cts.Token).AsTask();
        var patient = cache.GetTokenAsync().AsTask();
        var call = await source.NextCallAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TestTime.HangGuard));
        Assert.False(call.CancellationToken.IsCancellationRequested);
        var token = time.Token(Hour);
        call.Succeed(token);

        Assert.Same(token, await patient.WaitAsync(TestTime.HangGuard));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Dispose_WhileFetching_FailsWaitersCancelsSourceAndStopsTimer()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        var cache = new JwtTokenCache(source, timeProvider: time);

        var waiter = cache.GetTokenAsync().AsTask();
        var call = await source.NextCallAsync();
        cache.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiter.WaitAsync(TestTime.HangGuard));
        Assert.True(call.CancellationToken.IsCancellationRequested);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetTokenAsync().AsTask());
        Assert.False(cache.TryGetToken(out _));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Dispose_WithTimerArmed_NoBackgroundRefreshAfterwards()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync();

        await cache.DisposeAsync();
        time.Advance(TimeSpan.FromMinutes(45));

        Assert.Equal(1, source.Calls);
        Assert.Null(cache.Refresher.PendingFetch);
    }

    [Fact]
    public void Constructor_MinRetryDelayAboveMax_ThrowsConfigurationNamingSetting()
    {
        var time = new TestTime();
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromMinutes(5), MaxRetryDelay = TimeSpan.FromMinutes(1) };

        var ex = Assert.Throws<JwtSsoException>(() => new JwtTokenCache(new FakeTokenSource(time), options, time));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("MaxRetryDelay", ex.Message, StringComparison.Ordinal);
    }
}
