using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>A fake clock that reports each short timer (a retry wait, not the engine's long timeouts) as it is created.</summary>
internal sealed class TimerReportingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private static readonly TimeSpan ShortTimer = TimeSpan.FromSeconds(5);
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Waits until a short timer is created and returns its due time.</summary>
    public async Task<TimeSpan> NextShortTimerAsync() => await _created.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime <= ShortTimer)
        {
            _created.Writer.TryWrite(dueTime);
        }

        return timer;
    }
}
