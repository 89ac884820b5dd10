namespace Npgsql.JwtSso;

/// <summary>
/// Names for OpenTelemetry: subscribe with <c>metrics.AddMeter(JwtSsoTelemetry.MeterName)</c> and
/// <c>tracing.AddSource(JwtSsoTelemetry.ActivitySourceName)</c>. Tags never carry token text.
/// </summary>
public static class JwtSsoTelemetry
{
    /// <summary>The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Npgsql.JwtSso";

    /// <summary>The name of the library's <see cref="System.Diagnostics.ActivitySource"/> (one <c>jwtsso.fetch</c> activity per token-source call).</summary>
    public const string ActivitySourceName = "Npgsql.JwtSso";

    /// <summary>Counter of calls to a token source, tagged <c>source</c> and <c>outcome</c> (<c>success</c> or <c>failure</c>).</summary>
    public const string FetchesInstrument = "jwtsso.token.fetches";

    /// <summary>Histogram of token-source call durations, in seconds, tagged <c>source</c>.</summary>
    public const string FetchDurationInstrument = "jwtsso.token.fetch.duration";

    /// <summary>
    /// Counter of token-source calls abandoned (at <see cref="JwtSsoOptions.SourceTimeout"/> or disposal) because the
    /// source ignored its cancellation token, tagged <c>source</c>. Their late failures are observed, never left to the
    /// unobserved-task-exception handler.
    /// </summary>
    public const string FetchesAbandonedInstrument = "jwtsso.token.fetch.abandoned";

    /// <summary>Counter of token lookups served from the cache, tagged <c>source</c>.</summary>
    public const string CacheHitsInstrument = "jwtsso.token.cache.hits";

    /// <summary>Counter of token lookups that found no usable cached token, tagged <c>source</c>.</summary>
    public const string CacheMissesInstrument = "jwtsso.token.cache.misses";

    /// <summary>Gauge of the time until the cached token expires, in seconds, tagged <c>source</c>.</summary>
    public const string TimeToExpiryInstrument = "jwtsso.token.time_to_expiry";
}
