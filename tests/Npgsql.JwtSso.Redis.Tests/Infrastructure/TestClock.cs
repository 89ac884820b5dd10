using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

public sealed class TestClock() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    /// <summary>Real-time bound on awaits, used only so a broken cache fails a test instead of hanging it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>Waits (real time, bounded by the hang guard) until <paramref name="condition"/> holds: for work on real I/O.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var guard = global::System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (guard.Elapsed > HangGuard)
            {
                throw new TimeoutException($"Gave up waiting for {what}.");
            }

            await Task.Delay(1);
        }
    }
}
