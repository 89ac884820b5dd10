namespace Npgsql.JwtSso.Tests.Wiring;

/// <summary>Hands out a fresh, distinct token per call (valid for an hour of real time) and counts the calls.</summary>
internal sealed class CountingTokenSource(string sub = "alice", string iss = "https://issuer.test", string aud = "crdb") : JwtTokenSource
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<JwtToken> Issued { get; } = [];

    public override string Name => "Counting";

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        // Completes asynchronously, like a real identity provider call.
        await Task.Yield();
        Interlocked.Increment(ref _calls);
        var token = JwtToken.Parse(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1), sub, iss, aud));
        lock (Issued)
        {
            Issued.Add(token);
        }

        return token;
    }
}
