using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The library's <see cref="Meter"/> and <see cref="ActivitySource"/> (both named <c>Npgsql.JwtSso</c>). Cache hits are
/// a per-cache field read by an observable counter, so the hot path pays one interlocked increment and no tag lookup.
/// </summary>
internal static class JwtSsoTelemetry
{
    public const string Name = global::Npgsql.JwtSso.JwtSsoTelemetry.MeterName;
    public const string SourceTag = "source";
    public const string OutcomeTag = "outcome";

    public static readonly ActivitySource ActivitySource = new(global::Npgsql.JwtSso.JwtSsoTelemetry.ActivitySourceName);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Fetches = Meter.CreateCounter<long>(
        global::Npgsql.JwtSso.JwtSsoTelemetry.FetchesInstrument, "{fetch}", "Calls to a token source, by outcome (success or failure).");

    public static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>(
        global::Npgsql.JwtSso.JwtSsoTelemetry.FetchDurationInstrument, "s", "Duration of calls to a token source.");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        global::Npgsql.JwtSso.JwtSsoTelemetry.CacheMissesInstrument, "{lookup}", "Token lookups that found no usable cached token.");

    public static readonly Counter<long> FetchesAbandoned = Meter.CreateCounter<long>(
        global::Npgsql.JwtSso.JwtSsoTelemetry.FetchesAbandonedInstrument, "{fetch}", "Source calls abandoned at SourceTimeout or disposal because the source ignored its cancellation token.");

    private static readonly ConditionalWeakTable<TokenRefresher, object?> Live = [];

    static JwtSsoTelemetry()
    {
        Meter.CreateObservableCounter(
            global::Npgsql.JwtSso.JwtSsoTelemetry.CacheHitsInstrument, ObserveHits, "{lookup}", "Token lookups served from the cache.");
        Meter.CreateObservableGauge(
            global::Npgsql.JwtSso.JwtSsoTelemetry.TimeToExpiryInstrument, ObserveTimeToExpiry, "s", "Time until the cached token expires, per source.");
    }

    public static void Register(TokenRefresher refresher) => Live.AddOrUpdate(refresher, null);

    public static void Unregister(TokenRefresher refresher) => Live.Remove(refresher);

    public static KeyValuePair<string, object?> Source(string sourceName) => new(SourceTag, sourceName);

    private static List<Measurement<long>> ObserveHits()
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (refresher, _) in Live)
        {
            sums[refresher.SourceName] = sums.GetValueOrDefault(refresher.SourceName) + refresher.Hits;
        }

        return [.. sums.Select(s => new Measurement<long>(s.Value, Source(s.Key)))];
    }

    private static List<Measurement<double>> ObserveTimeToExpiry()
    {
        var soonest = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (refresher, _) in Live)
        {
            if (refresher.TimeToExpiry() is { } left)
            {
                var seconds = left.TotalSeconds;
                soonest[refresher.SourceName] = soonest.TryGetValue(refresher.SourceName, out var other) ? Math.Min(other, seconds) : seconds;
            }
        }

        return [.. soonest.Select(s => new Measurement<double>(s.Value, Source(s.Key)))];
    }
}
