using System.Diagnostics;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>Helpers for driving a <see cref="JwtTokenCache"/> on a fake clock while its fetches do real HTTP.</summary>
public static class FakeClock
{
    public static readonly DateTimeOffset Start = new(2031, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Waits (real time, bounded) until no refresh is due without a retry scheduled, i.e. an in-flight refresh has
    /// succeeded or failed. Fake time stands still meanwhile, as if the IdP answered instantly. Returns false when
    /// the hang guard ran out.
    /// </summary>
    public static async Task<bool> SettleAsync(JwtTokenCache cache, TimeProvider time)
    {
        var guard = Stopwatch.StartNew();
        while (guard.Elapsed < TimeSpan.FromSeconds(5))
        {
            var status = cache.GetStatus();
            var now = time.GetUtcNow();
            var refreshDue = status.NextRefreshAt is not { } refreshAt || refreshAt <= now;
            var retryScheduled = status.NextRetryAt is { } retryAt && retryAt > now;
            if (!refreshDue || retryScheduled)
            {
                return true;
            }

            await Task.Delay(1);
        }

        return false;
    }
}
