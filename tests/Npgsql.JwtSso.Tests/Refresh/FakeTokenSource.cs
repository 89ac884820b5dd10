using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>
/// A controllable <see cref="JwtTokenSource"/>: counts calls and records when they happened; each call is either
/// answered by <see cref="Handler"/> or parked as a <see cref="PendingCall"/> the test completes by hand.
/// </summary>
internal sealed class FakeTokenSource(TimeProvider time, string name = "fake") : JwtTokenSource
{
    private readonly Channel<PendingCall> _parked = Channel.CreateUnbounded<PendingCall>();
    private int _calls;

    public override string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<DateTimeOffset> CallTimes { get; } = new();

    /// <summary>Gets or sets an automatic answer (argument: the 1-based call number); <see langword="null"/> parks calls.</summary>
    public Func<int, CancellationToken, ValueTask<JwtToken>>? Handler { get; set; }

    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        CallTimes.Enqueue(time.GetUtcNow());
        if (Handler is { } handler)
        {
            return handler(n, cancellationToken);
        }

        var call = new PendingCall(n, cancellationToken);
        _parked.Writer.TryWrite(call);
        return new ValueTask<JwtToken>(call.Task);
    }

    /// <summary>Waits (real time, as a hang guard only) for the next parked call.</summary>
    public async Task<PendingCall> NextCallAsync()
        => await _parked.Reader.ReadAsync().AsTask().WaitAsync(TestTime.HangGuard);

    public bool HasParkedCall => _parked.Reader.Count > 0;
}

internal sealed class PendingCall(int number, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource<JwtToken> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Number { get; } = number;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<JwtToken> Task => _tcs.Task;

    public void Succeed(JwtToken token) => _tcs.SetResult(token);

    public void Fail(Exception error) => _tcs.SetException(error);
}
