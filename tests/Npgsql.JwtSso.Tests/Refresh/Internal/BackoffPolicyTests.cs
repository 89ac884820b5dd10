using Npgsql.JwtSso.Internal;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh.Internal;

public sealed class BackoffPolicyTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Next_HighestRandom_DoublesUpToMaximum()
    {
        var backoff = new BackoffPolicy(Second, TimeSpan.FromSeconds(10), () => 1.0);

        var delays = new double[6];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i] = backoff.Next().TotalSeconds;
        }

        Assert.Equal([1, 2, 4, 8, 10, 10], delays);
    }

    [Fact]
    public void Next_LowestRandom_NeverBelowMinimum()
    {
        var backoff = new BackoffPolicy(Second, TimeSpan.FromMinutes(2), () => 0.0);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(Second, backoff.Next()));
    }

    [Fact]
    public void Reset_AfterFailures_StartsAgainAtMinimum()
    {
        var backoff = new BackoffPolicy(Second, TimeSpan.FromMinutes(2), () => 1.0);
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(Second, backoff.Next());
    }

    [Fact]
    public void Next_ManyAttemptsWithLargeMinimum_DoesNotOverflow()
    {
        var backoff = new BackoffPolicy(TimeSpan.FromHours(1), TimeSpan.FromDays(1), () => 1.0);

        var last = TimeSpan.Zero;
        for (var i = 0; i < 100; i++)
        {
            last = backoff.Next();
        }

        Assert.Equal(TimeSpan.FromDays(1), last);
    }
}
