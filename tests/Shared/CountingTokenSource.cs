namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// Hands out a fresh token per call (or fails when told to), counts the calls and keeps what it issued. Every call
/// completes asynchronously, like a real identity provider call.
/// </summary>
internal sealed class CountingTokenSource : JwtTokenSource
{
    private readonly Func<string> _mint;
    private readonly string _name;
    private readonly List<JwtToken> _issued = [];
    private int _calls;

    /// <summary>Mints distinct one-hour tokens on the real clock with the given claims.</summary>
    public CountingTokenSource(string sub = "alice", string iss = "https://issuer.test", string aud = "crdb")
        : this(() => TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1), sub, iss, aud), "Counting")
    {
    }

    /// <summary>Mints distinct one-hour tokens issued at <paramref name="time"/>'s now.</summary>
    public CountingTokenSource(TimeProvider time, string name = "counting")
        : this(() => TestJwt.WithExpiry(time.GetUtcNow(), TimeSpan.FromHours(1)), name)
    {
    }

    /// <summary>Hands out what <paramref name="mint"/> makes on each call.</summary>
    public CountingTokenSource(Func<string> mint, string name = "minting")
    {
        _mint = mint;
        _name = name;
    }

    public override string Name => _name;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets or sets what the first call hands out instead of the usual token.</summary>
    public Func<string>? First { get; init; }

    /// <summary>Gets or sets an error every call fails with (after being counted) while set.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>Gets the tokens handed out, in order.</summary>
    public IReadOnlyList<JwtToken> Issued
    {
        get
        {
            lock (_issued)
            {
                return [.. _issued];
            }
        }
    }

    /// <summary>Gets the text of the last token made (set before it is parsed, so also for text that fails to parse).</summary>
    public string? LastToken { get; private set; }

    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var call = Interlocked.Increment(ref _calls);
        if (FailWith is { } failure)
        {
            throw failure;
        }

        LastToken = call == 1 && First is { } first ? first() : _mint();
        var token = JwtToken.Parse(LastToken);
        lock (_issued)
        {
            _issued.Add(token);
        }

        return token;
    }
}
