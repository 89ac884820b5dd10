using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using Xunit;

namespace Npgsql.JwtSso.Redis.Tests;

/// <summary>Sharing across instances: one fetch for many, the lease, and freshness against each instance's refresh point.</summary>
[Collection(RedisCollection.Name)]
public sealed class SharedCacheTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task SecondInstance_FreshEntry_TakesItWithoutCallingTheProvider()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock);
        var a = bed.Decorate(issuer, clock);
        var b = bed.Decorate(issuer, clock);

        var first = await a.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10));
        var second = await b.GetTokenAsync(CancellationToken.None);

        Assert.Equal(1, issuer.Calls);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(first.IssuedAt!.Value + TimeSpan.FromMinutes(30), second.RefreshOn); // the writer's refresh point, not 10 + 25 min
    }

    [Fact]
    public async Task Entry_PastInstancesRefreshPoint_IsStale_ProviderCalledAndEntryReplaced()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock);
        var a = bed.Decorate(issuer, clock);
        var first = await a.GetTokenAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(30));
        var second = await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));
        var third = await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, issuer.Calls);
        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(second.Value, third.Value);
    }

    [Fact]
    public async Task Entry_InsideJitterWindow_IsStale_SoTheFirstTimerToFireRefreshesForTheFleet()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock);
        var refresh = new JwtTokenCacheOptions { RefreshJitter = 0.1 };
        await bed.Decorate(issuer, clock, refresh: refresh).GetTokenAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(26)); // before 27 min: fresh for every instance
        await bed.Decorate(issuer, clock, refresh: refresh).GetTokenAsync(CancellationToken.None);
        Assert.Equal(1, issuer.Calls);

        clock.Advance(TimeSpan.FromMinutes(2)); // 28 min: inside [27, 30], where a jittered timer may fire
        await bed.Decorate(issuer, clock, refresh: refresh).GetTokenAsync(CancellationToken.None);
        Assert.Equal(2, issuer.Calls);
    }

    [Fact]
    public async Task ColdStart_ManyInstancesAtOnce_OneProviderCall_OthersWaitOnTheLease()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock) { Park = true };
        var instances = Enumerable.Range(0, 20).Select(_ => bed.Decorate(issuer, clock)).ToList();

        var fetches = instances.Select(i => i.GetTokenAsync(CancellationToken.None).AsTask()).ToList();
        var holder = await issuer.NextParkedAsync();
        await TestClock.UntilAsync(() => instances.Sum(i => i.ClockWaits) == instances.Count - 1, "19 instances waiting on the lease");
        holder.SetResult(issuer.Mint());
        await TestClock.UntilAsync(() => instances.All(i => i.ActiveCalls == 0 || (i.ClockWaits == 1 && i.RedisCalls == 0)), "the holder to write its token");
        clock.Advance(TimeSpan.FromMilliseconds(50));
        var tokens = await Task.WhenAll(fetches).WaitAsync(TestClock.HangGuard);

        Assert.Equal(1, issuer.Calls);
        Assert.Single(tokens.Select(t => t.Value).Distinct());
    }

    [Fact]
    public async Task LeaseHolderCrashed_WaiterFetchesItselfAfterLeaseWait()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock);
        var instance = bed.Decorate(issuer, clock, o => { o.LeaseWait = TimeSpan.FromSeconds(1); o.PollInterval = TimeSpan.FromMilliseconds(100); });
        var db = await bed.DatabaseAsync();
        await db.StringSetAsync(instance.Key.Lease, "crashed-holder", TimeSpan.FromMinutes(1)); // a holder that will never answer

        var fetch = instance.GetTokenAsync(CancellationToken.None).AsTask();
        for (var i = 0; i < 10; i++)
        {
            await TestClock.UntilAsync(() => instance.ClockWaits == 1, "the instance to poll");
            Assert.Equal(0, issuer.Calls);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        var token = await fetch.WaitAsync(TestClock.HangGuard);
        Assert.Equal(1, issuer.Calls);
        Assert.True(await db.KeyExistsAsync(instance.Key.Token), "the token fetched after the wait is shared too");
        Assert.Equal(token.Value, (await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None)).Value);
    }

    [Fact]
    public async Task LeaseHolderFetchFails_LeaseReleased_NextInstanceFetchesAtOnce()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock) { Failure = new JwtSsoException(JwtSsoErrorKind.SourceFailed, "counting", "down") };
        var a = bed.Decorate(issuer, clock);

        await Assert.ThrowsAsync<JwtSsoException>(() => a.GetTokenAsync(CancellationToken.None).AsTask());
        Assert.False(await (await bed.DatabaseAsync()).KeyExistsAsync(a.Key.Lease));

        issuer.Failure = null;
        var token = await bed.Decorate(issuer, clock).GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(TestClock.HangGuard);
        Assert.Equal(2, issuer.Calls);
        Assert.NotNull(token);
    }

    [Fact]
    public async Task Engine_WithSharedCache_SecondEngineStartsFromTheSharedToken()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var issuer = new CountingSource(clock);
        using var a = new JwtTokenCache(bed.Decorate(issuer, clock), timeProvider: clock);
        using var b = new JwtTokenCache(bed.Decorate(issuer, clock), timeProvider: clock);

        var first = await a.GetTokenAsync();
        var second = await b.GetTokenAsync();

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, issuer.Calls);
        Assert.True(b.TryGetToken(out _));
    }
}
