using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.EndToEnd.Tests.Faults;

/// <summary>
/// A fake clock that tells when a timer was created, so a test advances the clock only once the engine waits on it
/// (advancing earlier would move time under a wait that is about to be registered, and the wait would never end).
/// </summary>
public sealed class FaultClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly object _gate = new();
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<TimeSpan> _created = [];

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

    /// <summary>Forgets the timers created so far.</summary>
    public void ForgetTimers()
    {
        lock (_gate)
        {
            _created.Clear();
        }
    }

    /// <summary>Waits (bounded by <see cref="FaultBed.HangGuard"/>) until a timer with a matching due time has been created since <see cref="ForgetTimers"/>.</summary>
    public Task WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        lock (_gate)
        {
            if (_created.Any(match))
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.WaitAsync(FaultBed.HangGuard);
        }
    }
}
