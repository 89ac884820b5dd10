namespace Npgsql.JwtSso;

/// <summary>
/// Names for OpenTelemetry: subscribe with <c>metrics.AddMeter(JwtSsoTelemetry.MeterName)</c> and
/// <c>tracing.AddSource(JwtSsoTelemetry.ActivitySourceName)</c>. Every measurement carries <see cref="SourceTag"/>; a failed
/// fetch also carries <see cref="ErrorTypeTag"/>. Tags never carry token text. With dependency injection the meter is
/// created through the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>; otherwise it is a static meter.
/// </summary>
public static class JwtSsoTelemetry
{
    /// <summary>The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Npgsql.JwtSso";

    /// <summary>The name of the library's <see cref="System.Diagnostics.ActivitySource"/> (one <c>jwtsso.fetch</c> activity per token-source call).</summary>
    public const string ActivitySourceName = "Npgsql.JwtSso";

    /// <summary>The tag naming the token source (<see cref="JwtTokenSource.Name"/>), on every measurement and activity.</summary>
    public const string SourceTag = "jwtsso.source";

    /// <summary>
    /// The OpenTelemetry <c>error.type</c> tag, set only on failed fetches: the <see cref="JwtSsoErrorKind"/> in snake case
    /// (<c>source_failed</c>, <c>invalid_token</c>, <c>timeout</c>, <c>configuration</c>, …).
    /// </summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Counter of calls to a token source, tagged <see cref="SourceTag"/>, and <see cref="ErrorTypeTag"/> when the call failed.</summary>
    public const string FetchesInstrument = "jwtsso.token.fetches";

    /// <summary>
    /// Histogram of token-source call durations, in seconds, tagged <see cref="SourceTag"/>, and <see cref="ErrorTypeTag"/> when
    /// the call failed. Bucket advice: 5 ms, 10 ms, 25 ms, 50 ms, 100 ms, 250 ms, 500 ms, 1 s, 2.5 s, 5 s, 10 s, 30 s.
    /// </summary>
    public const string FetchDurationInstrument = "jwtsso.token.fetch.duration";

    /// <summary>
    /// Counter of token-source calls abandoned (at <see cref="JwtTokenCacheOptions.SourceTimeout"/> or disposal) because the
    /// source ignored its cancellation token, tagged <see cref="SourceTag"/>. Their late failures are observed, never left
    /// to the unobserved-task-exception handler.
    /// </summary>
    public const string FetchesAbandonedInstrument = "jwtsso.token.fetch.abandoned";

    /// <summary>Counter of token lookups served from the cache, tagged <see cref="SourceTag"/>.</summary>
    public const string CacheHitsInstrument = "jwtsso.token.cache.hits";

    /// <summary>Counter of token lookups that found no usable cached token, tagged <see cref="SourceTag"/>.</summary>
    public const string CacheMissesInstrument = "jwtsso.token.cache.misses";

    /// <summary>Gauge of the time until the cached token expires, in seconds, tagged <see cref="SourceTag"/>.</summary>
    public const string TimeToExpiryInstrument = "jwtsso.token.time_to_expiry";
}
