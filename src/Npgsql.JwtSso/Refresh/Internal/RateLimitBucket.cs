namespace Npgsql.JwtSso.Internal;

/// <summary>
/// A token bucket in timestamp units: <c>burst</c> source calls at once, refilled at <c>burst</c> per window.
/// Not thread-safe; the refresher calls it under its lock.
/// </summary>
internal sealed class RateLimitBucket
{
    private readonly int _burst;
    private readonly long _refillEvery;
    private double _available;
    private long _lastRefill;

    /// <param name="burst">Calls allowed at once.</param>
    /// <param name="window">The window in timestamp units; 0 disables the limit.</param>
    /// <param name="now">The current timestamp.</param>
    public RateLimitBucket(int burst, long window, long now)
    {
        _burst = Math.Max(1, burst);
        _refillEvery = window <= 0 ? 0 : Math.Max(1, window / _burst);
        _available = _burst;
        _lastRefill = now;
    }

    /// <summary>Takes one call permit if one is available.</summary>
    /// <param name="now">The current timestamp.</param>
    /// <param name="nextAvailable">When refused, the timestamp at which a permit will be available.</param>
    /// <returns><see langword="true"/> when the call may start now.</returns>
    public bool TryAcquire(long now, out long nextAvailable)
    {
        nextAvailable = NextAvailable(now);
        if (nextAvailable > now)
        {
            return false;
        }

        if (_refillEvery > 0)
        {
            _available -= 1;
        }

        return true;
    }

    /// <summary>Gets the timestamp from which a call may start (<paramref name="now"/> when one may start now).</summary>
    /// <param name="now">The current timestamp.</param>
    /// <returns>The timestamp.</returns>
    public long NextAvailable(long now)
    {
        if (_refillEvery == 0)
        {
            return now;
        }

        Refill(now);
        return _available >= 1 ? now : now + (long)Math.Ceiling((1 - _available) * _refillEvery);
    }

    /// <summary>
    /// Whether a call at <paramref name="at"/> still leaves a permit for a call at <paramref name="reserveAt"/> (the
    /// last-chance refresh before a token runs out), assuming no other call in between.
    /// </summary>
    /// <param name="at">When the call would start (not before the last refill).</param>
    /// <param name="reserveAt">When the reserved call will start (not before <paramref name="at"/>).</param>
    /// <returns><see langword="true"/> when both calls fit.</returns>
    public bool CanSpare(long at, long reserveAt)
    {
        if (_refillEvery == 0)
        {
            return true;
        }

        var atCall = Math.Min(_burst, _available + ((double)Math.Max(0, at - _lastRefill) / _refillEvery));
        var atReserve = Math.Min(_burst, atCall - 1 + ((double)Math.Max(0, reserveAt - at) / _refillEvery));
        return atCall >= 1 && atReserve >= 1;
    }

    private void Refill(long now)
    {
        if (now <= _lastRefill)
        {
            return;
        }

        _available = Math.Min(_burst, _available + ((double)(now - _lastRefill) / _refillEvery));
        _lastRefill = now;
    }
}
