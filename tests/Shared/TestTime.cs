using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// A fake clock that reports the timers created on it, so a test advances time only once the code under test waits on
/// it (advancing earlier would move time under a wait that is about to be registered, and the wait would never end).
/// </summary>
public sealed class TestTime : FakeTimeProvider
{
    /// <summary>Real-time bound on awaits, used only so a broken engine fails a test instead of hanging it.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>The longest due time <see cref="NextShortTimerAsync"/> reports (a retry wait, not the engine's long timeouts).</summary>
    private static readonly TimeSpan ShortTimer = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<TimeSpan> _created = [];
    private readonly Channel<TimeSpan> _short = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Starts at 2026-01-01 00:00 UTC.</summary>
    public TestTime()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public TestTime(DateTimeOffset start)
        : base(start)
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

        if (dueTime != Timeout.InfiniteTimeSpan && dueTime <= ShortTimer)
        {
            _short.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits until a timer with a matching due time has been created (now or earlier), and forgets the timers that match.</summary>
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

    /// <summary>Forgets the timers created so far, so <see cref="WaitForTimerAsync"/> waits for a new one.</summary>
    public void ForgetTimers()
    {
        lock (_gate)
        {
            _created.Clear();
        }
    }

    /// <summary>Waits until the next short timer (a retry wait, at most five seconds) is created and returns its due time.</summary>
    public async Task<TimeSpan> NextShortTimerAsync() => await _short.Reader.ReadAsync().AsTask().WaitAsync(HangGuard);

    /// <summary>Makes a token issued now that expires after <paramref name="lifetime"/>.</summary>
    public JwtToken Token(TimeSpan lifetime, string sub = "bot")
        => JwtToken.Parse(TestJwt.WithExpiry(GetUtcNow(), lifetime, sub));
}
