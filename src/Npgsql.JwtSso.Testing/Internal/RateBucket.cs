namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>A fixed one-minute window counter, reported the way Okta does (X-Rate-Limit-Limit/Remaining/Reset).</summary>
internal sealed class RateBucket(int limit)
{
    private readonly Lock _lock = new();
    private long _windowStart = long.MinValue;
    private int _used;

    internal int Limit { get; set; } = limit;

    internal Outcome Take(DateTimeOffset now)
    {
        var window = now.ToUnixTimeSeconds() / 60 * 60;
        lock (_lock)
        {
            if (window != _windowStart)
            {
                _windowStart = window;
                _used = 0;
            }

            var allowed = _used < Limit;
            if (allowed)
            {
                _used++;
            }

            return new Outcome(Limit, Math.Max(0, Limit - _used), window + 60, allowed);
        }
    }

    internal readonly record struct Outcome(int Limit, int Remaining, long ResetEpochSeconds, bool Allowed);
}
