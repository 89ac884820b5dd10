using System.Threading.Channels;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

/// <summary>
/// The identity provider of the tests: counts calls; answers at once with a token minted on the test clock, or, with
/// <see cref="Park"/>, holds each call until the test releases it.
/// </summary>
public sealed class CountingSource(TimeProvider time, string name = "counting", TimeSpan? lifetime = null, string issuer = Jwts.Issuer, string audience = Jwts.Audience) : JwtTokenSource
{
    private readonly Channel<TaskCompletionSource<JwtToken>> _parked = Channel.CreateUnbounded<TaskCompletionSource<JwtToken>>();
    private int _calls;

    public override string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public bool Park { get; set; }

    public Exception? Failure { get; set; }

    public TimeSpan Lifetime { get; } = lifetime ?? TimeSpan.FromHours(1);

    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            return ValueTask.FromException<JwtToken>(failure);
        }

        if (!Park)
        {
            return new ValueTask<JwtToken>(Mint());
        }

        var call = new TaskCompletionSource<JwtToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _parked.Writer.TryWrite(call);
        return new ValueTask<JwtToken>(call.Task);
    }

    public JwtToken Mint() => Jwts.Mint(time.GetUtcNow(), Lifetime, issuer, audience);

    /// <summary>Waits (real time, as a hang guard only) for the next parked call.</summary>
    public async Task<TaskCompletionSource<JwtToken>> NextParkedAsync()
        => await _parked.Reader.ReadAsync().AsTask().WaitAsync(TestClock.HangGuard);
}
