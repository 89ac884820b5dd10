namespace Npgsql.JwtSso.Tests.DependencyInjection;

/// <summary>A source that mints a fresh one-hour token per call (or fails when told to) and counts calls.</summary>
internal sealed class CountingTokenSource(TimeProvider time, string name = "counting") : JwtTokenSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Exception? FailWith { get; set; }

    public override string Name => name;

    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (FailWith is { } failure)
        {
            return ValueTask.FromException<JwtToken>(failure);
        }

        return ValueTask.FromResult(JwtToken.Parse(TestJwt.WithExpiry(time.GetUtcNow(), TimeSpan.FromHours(1))));
    }
}
