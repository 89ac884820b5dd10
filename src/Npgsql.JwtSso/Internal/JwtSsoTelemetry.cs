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
    public const string Name = "Npgsql.JwtSso";
    public const string SourceTag = "source";
    public const string OutcomeTag = "outcome";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Fetches = Meter.CreateCounter<long>(
        "jwtsso.token.fetches", "{fetch}", "Calls to a token source, by outcome (success or failure).");

    public static readonly Histogram<double> FetchDuration = Meter.CreateHistogram<double>(
        "jwtsso.token.fetch.duration", "s", "Duration of calls to a token source.");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        "jwtsso.token.cache.misses", "{lookup}", "Token lookups that found no usable cached token.");

    private static readonly ConditionalWeakTable<TokenRefresher, object?> Live = [];

    static JwtSsoTelemetry()
    {
        Meter.CreateObservableCounter(
            "jwtsso.token.cache.hits", ObserveHits, "{lookup}", "Token lookups served from the cache.");
        Meter.CreateObservableGauge(
            "jwtsso.token.time_to_expiry", ObserveTimeToExpiry, "s", "Time until the cached token expires, per source.");
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
