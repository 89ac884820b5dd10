using System.Globalization;

namespace Npgsql.JwtSso;

/// <summary>
/// Options of one <see cref="JwtTokenCache"/>: when tokens are refreshed, how long callers wait, how failures are retried
/// and rate-limited. They belong to the cache, so every data source sharing the cache shares them; the per-data-source
/// settings (TLS, identity map, username check) are in <see cref="JwtSsoConnectionOptions"/>.
/// </summary>
/// <remarks>Each setter refuses a value outside its range with an <see cref="ArgumentOutOfRangeException"/> that names the
/// setting; rules between two settings are checked when the cache is created.</remarks>
public sealed class JwtTokenCacheOptions
{
    /// <summary>
    /// Gets or sets the fraction of a token's lifetime after which it is refreshed (the Google Cloud SQL connectors' rule).
    /// A source's <see cref="JwtToken.RefreshOn"/> hint wins when it is earlier.
    /// </summary>
    /// <value>The default value is 0.5 (half-way through the lifetime); at least 0.05 and at most 0.95.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public double RefreshAt
    {
        get;
        set => field = value is >= 0.05 and <= 0.95
            ? value
            : throw OutOfRange(nameof(RefreshAt), "0.05", "0.95", value.ToString(CultureInfo.InvariantCulture), "it is a fraction of the token lifetime, for example 0.5");
    } = 0.5;

    /// <summary>
    /// Gets or sets the per-instance jitter of the refresh point, as a fraction of the time until it: each token's refresh
    /// point is pulled earlier by a random amount up to this fraction, so a fleet that started together (a rolling
    /// deployment, a region restart) does not refresh in step. 0.1 with 1 h tokens spreads the fleet over 3 minutes.
    /// </summary>
    /// <value>The default value is 0 (no jitter: every refresh exactly at <see cref="RefreshAt"/>); at most 0.5.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public double RefreshJitter
    {
        get;
        set => field = value is >= 0.0 and <= 0.5
            ? value
            : throw OutOfRange(nameof(RefreshJitter), "0", "0.5", value.ToString(CultureInfo.InvariantCulture), "it is a fraction of the time until the refresh point, for example 0.1");
    }

    /// <summary>
    /// Gets or sets the minimum remaining lifetime a token must have to be handed out. CockroachDB checks <c>exp</c> with
    /// zero clock skew, so a token close to expiry may be rejected by the time it arrives.
    /// </summary>
    /// <value>The default value is 60 seconds; at least zero and at most 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan SafetyMargin
    {
        get;
        set => field = CheckRange(value, nameof(SafetyMargin), TimeSpan.Zero, TimeSpan.FromHours(1));
    } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the lifetime assumed for a token without an <c>exp</c> claim (CockroachDB accepts it forever; a warning is logged).</summary>
    /// <value>The default value is 1 hour; at least 1 second and at most 7 days, and longer than <see cref="SafetyMargin"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan AssumedLifetime
    {
        get;
        set => field = CheckRange(value, nameof(AssumedLifetime), TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
    } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long an open may wait for a token when none is cached, before failing with <see cref="JwtSsoErrorKind.Timeout"/>.</summary>
    /// <value>The default value is 30 seconds; at least 1 millisecond and at most 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range (<see cref="Timeout.InfiniteTimeSpan"/> included: an open must not wait forever on a hung identity provider).</exception>
    public TimeSpan AcquireTimeout
    {
        get;
        set => field = CheckTimeout(value, nameof(AcquireTimeout), "an open must not wait forever on a hung identity provider");
    } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of one call to the token source.</summary>
    /// <value>The default value is 30 seconds; at least 1 millisecond and at most 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range (<see cref="Timeout.InfiniteTimeSpan"/> included: a hung call would block every later refresh).</exception>
    public TimeSpan SourceTimeout
    {
        get;
        set => field = CheckTimeout(value, nameof(SourceTimeout), "a hung call would block every later refresh");
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the first delay after a failed refresh; the ceiling doubles on each further failure and the actual
    /// delay is random below it (full jitter). A retry is not scheduled before the source's
    /// <see cref="JwtSsoException.RetryAfter"/>, capped at <see cref="MaxRetryDelay"/> (and at the rate limit's pace while
    /// no usable token is left), and a last attempt is kept shortly before the cached token becomes unusable.
    /// </summary>
    /// <value>The default value is 1 second; at least 1 millisecond and at most 1 hour, and not longer than <see cref="MaxRetryDelay"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan MinRetryDelay
    {
        get;
        set => field = CheckRange(value, nameof(MinRetryDelay), TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
    } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the largest delay between retries of a failed refresh.</summary>
    /// <value>The default value is 2 minutes; at least 1 millisecond and at most 1 day.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan MaxRetryDelay
    {
        get;
        set => field = CheckRange(value, nameof(MaxRetryDelay), TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
    } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets the length of the window of the per-source rate limit: at most <see cref="RateLimitBurst"/> source calls
    /// start within any such window, whatever happens (invalidations, forced refreshes, failures, many data sources).
    /// Calls beyond it wait for a permit. <see cref="TimeSpan.Zero"/> disables the limit (not recommended).
    /// </summary>
    /// <value>The default value is 30 seconds; at least zero and at most 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan RateLimitWindow
    {
        get;
        set => field = CheckRange(value, nameof(RateLimitWindow), TimeSpan.Zero, TimeSpan.FromHours(1));
    } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many source calls may start within one <see cref="RateLimitWindow"/>.</summary>
    /// <value>The default value is 3; at least 1 and at most 1000.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public int RateLimitBurst
    {
        get;
        set => field = value is >= 1 and <= 1000
            ? value
            : throw OutOfRange(nameof(RateLimitBurst), "1", "1000", value.ToString(CultureInfo.InvariantCulture), null);
    } = 3;

    /// <summary>Gets or sets how tokens are renewed.</summary>
    /// <value>The default value is <see cref="JwtSsoRefreshMode.Background"/>.</value>
    public JwtSsoRefreshMode RefreshMode { get; set; } = JwtSsoRefreshMode.Background;

    // Checked when set, not at the first open: beyond about 49.7 days the timers behind these waits throw.
    private static TimeSpan CheckTimeout(TimeSpan value, string setting, string whyNotInfinite)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(setting, $"JwtTokenCacheOptions.{setting} cannot be Timeout.InfiniteTimeSpan: {whyNotInfinite}. Use a value between 1 ms and 1 hour.");
        }

        return CheckRange(value, setting, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
    }

    private static TimeSpan CheckRange(TimeSpan value, string setting, TimeSpan min, TimeSpan max)
        => value >= min && value <= max ? value : throw OutOfRange(setting, Show(min), Show(max), value.ToString("c", CultureInfo.InvariantCulture), null);

    private static ArgumentOutOfRangeException OutOfRange(string setting, string min, string max, string value, string? note)
        => new(setting, $"JwtTokenCacheOptions.{setting} must be between {min} and {max}; it is {value}{(note is null ? string.Empty : $" ({note})")}.");

    private static string Show(TimeSpan value)
        => value == TimeSpan.Zero ? "0"
            : value.TotalDays >= 1 && value.TotalDays % 1 == 0 ? Plural(value.TotalDays, "day")
            : value.TotalHours >= 1 && value.TotalHours % 1 == 0 ? Plural(value.TotalHours, "hour")
            : value.TotalSeconds >= 1 && value.TotalSeconds % 1 == 0 ? $"{value.TotalSeconds:0} s"
            : $"{value.TotalMilliseconds:0} ms";

    private static string Plural(double count, string unit) => count == 1 ? $"1 {unit}" : $"{count:0} {unit}s";
}
