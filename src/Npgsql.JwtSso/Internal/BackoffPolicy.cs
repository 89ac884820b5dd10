namespace Npgsql.JwtSso.Internal;

/// <summary>
/// Decorrelated-jitter exponential backoff (delay = random between the minimum and three times the previous delay,
/// capped), so many processes that lost the identity provider at the same moment do not retry in lockstep.
/// </summary>
internal sealed class BackoffPolicy
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;
    private TimeSpan _previous;

    public BackoffPolicy(TimeSpan min, TimeSpan max, Func<double>? random = null)
    {
        _min = min;
        _max = max < min ? min : max;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Gets the delay before the next retry and remembers it for the one after.</summary>
    /// <returns>A delay between the minimum and the maximum.</returns>
    public TimeSpan Next()
    {
        var upper = _previous <= TimeSpan.Zero ? _min : TimeSpan.FromTicks(Math.Min(_max.Ticks, _previous.Ticks * 3));
        var delay = _min + ((upper - _min) * _random());
        _previous = delay < _min ? _min : delay > _max ? _max : delay;
        return _previous;
    }

    /// <summary>Forgets the failure history after a success.</summary>
    public void Reset() => _previous = TimeSpan.Zero;
}
