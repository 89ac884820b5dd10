using System.ComponentModel.DataAnnotations;

namespace Npgsql.JwtSso;

/// <summary>Options of the refresh engine and of the Npgsql wiring.</summary>
public sealed class JwtSsoOptions
{
    /// <summary>
    /// Gets or sets the fraction of a token's lifetime after which it is refreshed (the Google Cloud SQL connectors' rule).
    /// A source's <see cref="JwtToken.RefreshOn"/> hint wins when it is earlier.
    /// </summary>
    /// <value>The default value is 0.5 (half-way through the lifetime).</value>
    [Range(0.05, 0.95)]
    public double RefreshAt { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the per-instance jitter of the refresh point, as a fraction of the time until it: each token's refresh
    /// point is pulled earlier by a random amount up to this fraction, so a fleet that started together (a rolling
    /// deployment, a region restart) does not refresh in step. 0.1 with 1 h tokens spreads the fleet over 3 minutes.
    /// </summary>
    /// <value>The default value is 0 (no jitter: every refresh exactly at <see cref="RefreshAt"/>).</value>
    [Range(0.0, 0.5)]
    public double RefreshJitter { get; set; }

    /// <summary>
    /// Gets or sets the minimum remaining lifetime a token must have to be handed out. CockroachDB checks <c>exp</c> with
    /// zero clock skew, so a token close to expiry may be rejected by the time it arrives.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the lifetime assumed for a token without an <c>exp</c> claim (CockroachDB accepts it forever; a warning is logged).</summary>
    /// <value>The default value is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan AssumedLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long an open may wait for a token when none is cached, before failing with <see cref="JwtSsoErrorKind.Timeout"/>.</summary>
    /// <value>The default value is 30 seconds; at least 1 millisecond and at most 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range (<see cref="Timeout.InfiniteTimeSpan"/> included: an open must not wait forever on a hung identity provider).</exception>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan AcquireTimeout
    {
        get;
        set => field = CheckTimeout(value, nameof(AcquireTimeout), "an open must not wait forever on a hung identity provider");
    } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of one call to the token source.</summary>
    /// <value>The default value is 30 seconds; at least 1 millisecond and at most 1 hour.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range (<see cref="Timeout.InfiniteTimeSpan"/> included: a hung call would block every later refresh).</exception>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
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
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the largest delay between retries of a failed refresh.</summary>
    /// <value>The default value is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets the length of the window of the per-source rate limit: at most <see cref="RateLimitBurst"/> source calls
    /// start within any such window, whatever happens (invalidations, forced refreshes, failures, many data sources).
    /// Calls beyond it wait for a permit. <see cref="TimeSpan.Zero"/> disables the limit (not recommended).
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many source calls may start within one <see cref="RateLimitWindow"/>.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 1000)]
    public int RateLimitBurst { get; set; } = 3;

    /// <summary>Gets or sets how tokens are renewed.</summary>
    /// <value>The default value is <see cref="JwtSsoRefreshMode.Background"/>.</value>
    public JwtSsoRefreshMode RefreshMode { get; set; } = JwtSsoRefreshMode.Background;

    /// <summary>
    /// Gets or sets the claim the cluster reads the principal from (<c>server.jwt_authentication.claim</c>).
    /// </summary>
    /// <value>The default value is <c>sub</c>.</value>
    public string PrincipalClaim { get; set; } = "sub";

    /// <summary>
    /// Gets or sets the identity map in the cluster's own syntax (<c>server.identity_map.configuration</c>: pg_ident lines,
    /// map name = issuer). Used to derive the SQL username when the connection string has none, and to check the
    /// username against the token. <see langword="null"/> means the principal is the username.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? IdentityMap { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <see cref="IdentityMap"/> matches principals case-insensitively, as
    /// CockroachDB 26.1 and later do; leave it off for earlier clusters.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IdentityMapIgnoreCase { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the connection's SQL username is checked against the first token
    /// (principal claim through the identity map), failing fast with a message that names the fix.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool VerifyUsername { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether connections without certificate verification (<c>SSL Mode</c> weaker than
    /// <c>VerifyCA</c>) are allowed. The token travels as a cleartext password, so this is for insecure development
    /// clusters only; enabling it logs a warning.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInsecureTransport { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an open the cluster rejects is retried once where that can help: a cached
    /// token that expired or was signed with a rotated key is replaced by a fresh one, and a token not yet valid on the
    /// cluster's clock is re-sent once its time has come (see <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/>).
    /// Configuration rejections are never retried. Applies to opens through the data source returned by
    /// <c>BuildJwtSso()</c> and to EF Core contexts configured with <c>UseNpgsqlJwtSso</c>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetryRejectedOpen { get; set; } = true;

    // Checked when set, not at the first open: beyond about 49.7 days the timers behind these waits throw.
    private static TimeSpan CheckTimeout(TimeSpan value, string setting, string whyNotInfinite)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(setting, $"JwtSsoOptions.{setting} cannot be Timeout.InfiniteTimeSpan: {whyNotInfinite}. Use a value between 1 ms and 1 hour.");
        }

        if (value < TimeSpan.FromMilliseconds(1) || value > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(setting, $"JwtSsoOptions.{setting} must be between 1 ms and 1 hour; it is {value}.");
        }

        return value;
    }
}
