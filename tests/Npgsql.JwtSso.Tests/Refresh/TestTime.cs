using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>A fake clock that also reports the timers created on it, so tests can wait until a wait is armed.</summary>
internal sealed class TestTime : FakeTimeProvider
{
    /// <summary>Real-time bound on awaits, used only so a broken engine fails a test instead of hanging it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<TimeSpan> _created = [];

    public TestTime()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>
    /// Gets or sets how far the wall clock (<see cref="GetUtcNow"/>) is moved away from the monotonic clock
    /// (<see cref="TimeProvider.GetTimestamp"/>, which <see cref="FakeTimeProvider"/> derives from its own time, not from
    /// <see cref="GetUtcNow"/>): a suspend/resume or an NTP step. Timers keep running on the monotonic clock.
    /// </summary>
    public TimeSpan WallClockJump { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + WallClockJump;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Match(dueTime)).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return timer;
    }

    /// <summary>Waits until a timer with a matching due time has been created (now or earlier).</summary>
    public Task WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        lock (_gate)
        {
            if (_created.Any(match))
            {
                _created.RemoveAll(d => match(d));
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.WaitAsync(HangGuard);
        }
    }

    public JwtToken Token(TimeSpan lifetime, string sub = "bot")
        => JwtToken.Parse(TestJwt.WithExpiry(GetUtcNow(), lifetime, sub));
}
