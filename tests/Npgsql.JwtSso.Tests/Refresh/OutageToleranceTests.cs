using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>
/// Issue: an outage inside the tolerance must not fail opens. With tokens of lifetime L refreshed at fraction f, an outage
/// shorter than (1 − f)·L − SafetyMargin must cost 0 failed opens, whenever it starts. Swept on the fake clock over start
/// points and lengths, with the default backoff, rate limit and timeouts.
/// </summary>
public sealed class OutageToleranceTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    // (1 − 0.5) × 60 s − 5 s = 25 s.
    private static readonly TimeSpan Tolerance = (Lifetime * 0.5) - SafetyMargin;

    public static TheoryData<double, double> Outages()
    {
        var rows = new TheoryData<double, double>();
        // The first token is fetched at 0 s and refreshed every 30 s: start points over two refresh cycles.
        var starts = Enumerable.Range(0, 30).Select(i => 1 + (i * 2.0)).Append(29.5).Append(30).Append(54.5);
        var lengths = new[] { 1.0, 5, 10, 15, 20, 23, 24, 24.75 };
        foreach (var start in starts)
        {
            foreach (var length in lengths)
            {
                rows.Add(start, length);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task OutageShorterThanTolerance_NoFailedOpens(double startSeconds, double lengthSeconds)
    {
        Assert.True(TimeSpan.FromSeconds(lengthSeconds) < Tolerance);
        var time = new TestTime();
        var origin = time.GetUtcNow();
        var outageStart = origin.AddSeconds(startSeconds);
        var outageEnd = outageStart.AddSeconds(lengthSeconds);
        var source = new FakeTokenSource(time, "outage")
        {
            Handler = (_, _) =>
            {
                var now = time.GetUtcNow();
                return now >= outageStart && now < outageEnd
                    ? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, "outage", "The identity provider is unreachable.") { IsTransient = true }
                    : new(time.Token(Lifetime));
            },
        };
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { SafetyMargin = SafetyMargin }, time);
        await cache.GetTokenAsync();

        var opens = new List<(DateTimeOffset At, Task<JwtToken> Open, Task<JwtToken>? Joined)>();
        var end = outageEnd.AddSeconds(90);
        while (time.GetUtcNow() < end)
        {
            time.Advance(Step);
            await SettleAsync(cache, opens);
            var open = cache.GetTokenAsync().AsTask();
            opens.Add((time.GetUtcNow(), open, open.IsCompleted ? null : cache.Refresher.PendingFetch));
            await SettleAsync(cache, opens);
        }

        var failed = new List<string>();
        foreach (var (at, open, _) in opens)
        {
            try
            {
                var token = await open.WaitAsync(TestTime.HangGuard);
                Assert.True(token.ExpiresOn > at, $"an expired token was handed out at {at - origin}");
            }
            catch (JwtSsoException ex)
            {
                failed.Add($"{(at - origin).TotalSeconds:0.##} s: {ex.Message}");
            }
        }

        Assert.True(failed.Count == 0, $"{failed.Count} of {opens.Count} opens failed; first: {failed.FirstOrDefault()}; calls at {string.Join(", ", source.CallTimes.Select(c => (c - origin).TotalSeconds))}");
    }

    /// <summary>
    /// Waits until the engine is idle or waits for the clock, and until every open whose attempt has finished has seen
    /// the outcome, so the next clock step is the only thing that moves anything (in real time those continuations run
    /// within microseconds; on the fake clock they must not race the next 30 s of steps).
    /// </summary>
    private static async Task SettleAsync(JwtTokenCache cache, List<(DateTimeOffset At, Task<JwtToken> Open, Task<JwtToken>? Joined)> opens)
    {
        var guard = TimeProvider.System.GetTimestamp();
        while (cache.Refresher.PendingFetch is not null && !cache.Refresher.IsWaitingForClock)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(guard) < TestTime.HangGuard, "the engine never settled");
            await Task.Yield();
        }

        foreach (var (_, open, joined) in opens)
        {
            if (!open.IsCompleted && (joined is null || joined.IsCompleted))
            {
                await ((Task)open).WaitAsync(TestTime.HangGuard).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
