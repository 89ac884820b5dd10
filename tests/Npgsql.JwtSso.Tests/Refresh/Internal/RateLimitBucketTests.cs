using Npgsql.JwtSso.Internal;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh.Internal;

public sealed class RateLimitBucketTests
{
    [Fact]
    public void TryAcquire_BurstUsed_RefusesUntilOnePermitRefilled()
    {
        var bucket = new RateLimitBucket(burst: 3, window: 300, now: 0);

        Assert.True(bucket.TryAcquire(0, out _));
        Assert.True(bucket.TryAcquire(0, out _));
        Assert.True(bucket.TryAcquire(0, out _));
        Assert.False(bucket.TryAcquire(0, out var next));
        Assert.Equal(100, next);
        Assert.False(bucket.TryAcquire(99, out _));
        Assert.True(bucket.TryAcquire(100, out _));
        Assert.False(bucket.TryAcquire(100, out _));
    }

    [Fact]
    public void TryAcquire_LongIdle_RefillsOnlyUpToBurst()
    {
        var bucket = new RateLimitBucket(burst: 2, window: 100, now: 0);

        var granted = Enumerable.Range(0, 10).Count(i => bucket.TryAcquire(1_000_000, out _));

        Assert.Equal(2, granted);
    }

    [Fact]
    public void TryAcquire_ZeroWindow_NeverRefuses()
    {
        var bucket = new RateLimitBucket(burst: 1, window: 0, now: 0);

        Assert.All(Enumerable.Range(0, 100), i => Assert.True(bucket.TryAcquire(i, out _)));
    }
}
