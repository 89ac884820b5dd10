using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The library's instruments on one <see cref="Meter"/> named <c>Npgsql.JwtSso</c>: created through the host's
/// <see cref="IMeterFactory"/> when there is one (dependency injection), otherwise on a static meter. Cache hits and time
/// to expiry are read from the live caches by observable instruments, so the hot path pays one interlocked increment.
/// </summary>
internal sealed class JwtSsoMetrics
{
    public const string Version = "1.0";

    // Token fetches take from a few milliseconds (a file, a metadata server) to tens of seconds (an identity provider
    // timing out at SourceTimeout, 30 s by default); OpenTelemetry's default buckets (0…10000, meant for milliseconds)
    // would put every fetch in the first two.
    private static readonly double[] FetchDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly ConditionalWeakTable<IMeterFactory, JwtSsoMetrics> PerFactory = [];
    private static readonly Lazy<JwtSsoMetrics> StaticMetrics = new(() => new JwtSsoMetrics(new Meter(new MeterOptions(JwtSsoTelemetry.Name) { Version = Version })));

    private readonly ConditionalWeakTable<TokenRefresher, object?> _live = [];

    private JwtSsoMetrics(Meter meter)
    {
        Meter = meter;
        Fetches = meter.CreateCounter<long>(
            global::Npgsql.JwtSso.JwtSsoTelemetry.FetchesInstrument, "{fetch}", "Calls to a token source; failed ones carry error.type.");
        FetchDuration = meter.CreateHistogram(
            global::Npgsql.JwtSso.JwtSsoTelemetry.FetchDurationInstrument,
            "s",
            "Duration of calls to a token source; failed ones carry error.type.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FetchDurationBuckets });
        CacheMisses = meter.CreateCounter<long>(
            global::Npgsql.JwtSso.JwtSsoTelemetry.CacheMissesInstrument, "{lookup}", "Token lookups that found no usable cached token.");
        FetchesAbandoned = meter.CreateCounter<long>(
            global::Npgsql.JwtSso.JwtSsoTelemetry.FetchesAbandonedInstrument, "{fetch}", "Source calls abandoned at SourceTimeout or disposal because the source ignored its cancellation token.");
        meter.CreateObservableCounter(
            global::Npgsql.JwtSso.JwtSsoTelemetry.CacheHitsInstrument, ObserveHits, "{lookup}", "Token lookups served from the cache.");
        meter.CreateObservableGauge(
            global::Npgsql.JwtSso.JwtSsoTelemetry.TimeToExpiryInstrument, ObserveTimeToExpiry, "s", "Time until the cached token expires, per source.");
    }

    /// <summary>Gets the instruments on the static meter (no dependency injection).</summary>
    public static JwtSsoMetrics Static => StaticMetrics.Value;

    public Meter Meter { get; }

    public Counter<long> Fetches { get; }

    public Histogram<double> FetchDuration { get; }

    public Counter<long> CacheMisses { get; }

    public Counter<long> FetchesAbandoned { get; }

    /// <summary>Gets the instruments for <paramref name="factory"/> (one set per factory), or the static ones when there is none.</summary>
    public static JwtSsoMetrics For(IMeterFactory? factory)
        => factory is null
            ? Static
            : PerFactory.GetValue(factory, static f => new JwtSsoMetrics(f.Create(new MeterOptions(JwtSsoTelemetry.Name) { Version = Version })));

    public void Register(TokenRefresher refresher) => _live.AddOrUpdate(refresher, null);

    public void Unregister(TokenRefresher refresher) => _live.Remove(refresher);

    private List<Measurement<long>> ObserveHits()
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (refresher, _) in _live)
        {
            sums[refresher.SourceName] = sums.GetValueOrDefault(refresher.SourceName) + refresher.Hits;
        }

        return [.. sums.Select(s => new Measurement<long>(s.Value, JwtSsoTelemetry.Source(s.Key)))];
    }

    private List<Measurement<double>> ObserveTimeToExpiry()
    {
        var soonest = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (refresher, _) in _live)
        {
            if (refresher.TimeToExpiry() is { } left)
            {
                var seconds = left.TotalSeconds;
                soonest[refresher.SourceName] = soonest.TryGetValue(refresher.SourceName, out var other) ? Math.Min(other, seconds) : seconds;
            }
        }

        return [.. soonest.Select(s => new Measurement<double>(s.Value, JwtSsoTelemetry.Source(s.Key)))];
    }
}
