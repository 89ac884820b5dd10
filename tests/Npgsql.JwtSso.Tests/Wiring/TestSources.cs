using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Tests.Wiring;

/// <summary>Hands back the same token text on every call, like a source that caches tokens itself (MSAL, a file, env, static).</summary>
internal sealed class ConstantTokenSource(string token) : JwtTokenSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Token => token;

    public override string Name => "Constant";

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Interlocked.Increment(ref _calls);
        return JwtToken.Parse(token);
    }
}

/// <summary>An identity provider that is down: every call fails, asynchronously, like an unreachable endpoint.</summary>
internal sealed class UnreachableTokenSource(string name) : JwtTokenSource
{
    public override string Name => name;

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw new HttpRequestException("Connection refused (idp.test:443)");
    }
}

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
