using System.Diagnostics.Metrics;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Tests.Refresh;
using Xunit;

namespace Npgsql.JwtSso.Tests.Telemetry;

public sealed class JwtTokenCacheTelemetryTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Fetches_SuccessThenFailure_FailureTaggedWithErrorTypeWithDuration()
    {
        var name = $"metrics-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        using var cache = await SuccessThenFailureAsync(name);

        Assert.Equal([1.0], capture.Successes("jwtsso.token.fetches"));
        Assert.Equal([1.0], capture.Failures("jwtsso.token.fetches", "source_failed"));
        Assert.Single(capture.Successes("jwtsso.token.fetch.duration"));
        Assert.Single(capture.Failures("jwtsso.token.fetch.duration", "source_failed"));
        Assert.All(capture.Values("jwtsso.token.fetch.duration"), d => Assert.True(d >= 0));
    }

    // Semantic conventions: the library's own attributes are namespaced (jwtsso.*), failures carry error.type, and
    // nothing else; a bare "source" or "outcome" would collide with other libraries' tags in a shared backend.
    [Fact]
    public async Task Measurements_EveryTag_NamespacedOrErrorType()
    {
        var name = $"tags-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        using var cache = await SuccessThenFailureAsync(name);
        capture.Observe();

        var keys = capture.Measurements.SelectMany(m => m.Tags.Select(t => t.Key)).Distinct().Order().ToArray();

        Assert.Equal(["error.type", "jwtsso.source"], keys);
        Assert.All(capture.Activities, a => Assert.Equal(name, a.GetTagItem("jwtsso.source")));
        Assert.Equal("source_failed", capture.Activities.Last().GetTagItem("error.type"));
    }

    // OpenTelemetry's default histogram buckets (0, 5, 10, 25 … 10000) suit milliseconds; in seconds they put every fetch
    // into one or two buckets. The advice spans 5 ms (a file) to 30 s (SourceTimeout).
    [Fact]
    public void FetchDuration_BucketAdvice_FromFiveMillisecondsToThirtySeconds()
    {
        var boundaries = new List<IReadOnlyList<double>?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == JwtSsoTelemetry.MeterName && instrument is Histogram<double> histogram && histogram.Name == JwtSsoTelemetry.FetchDurationInstrument)
                {
                    boundaries.Add(histogram.Advice?.HistogramBucketBoundaries);
                }
            },
        };
        var time = new TestTime();
        using var cache = new JwtTokenCache(new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) }, timeProvider: time);

        listener.Start();

        Assert.NotEmpty(boundaries);
        Assert.All(boundaries, b => Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], b));
    }

    // With dependency injection the meter comes from the host's IMeterFactory (scoped to that container, disposed with
    // it); without, from the library's static meter.
    [Fact]
    public async Task Meter_WithHostMeterFactory_MeasurementsOnTheFactorysMeter()
    {
        var name = $"factory-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var cache = new JwtTokenCache(new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) }, timeProvider: time, meterFactory: factory);

        await cache.GetTokenAsync();

        Assert.NotEmpty(capture.Meters);
        Assert.All(capture.Meters, m => Assert.Same(factory, m.Scope));
        Assert.All(capture.Meters, m => Assert.Equal(JwtSsoTelemetry.MeterName, m.Name));
    }

    [Fact]
    public async Task Meter_WithoutMeterFactory_MeasurementsOnTheStaticMeter()
    {
        var name = $"static-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        using var cache = new JwtTokenCache(new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) }, timeProvider: time);

        await cache.GetTokenAsync();

        Assert.NotEmpty(capture.Meters);
        Assert.All(capture.Meters, m => Assert.Null(m.Scope));
    }

    [Fact]
    public async Task CacheHitsAndMisses_Counted()
    {
        var name = $"hits-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        Assert.False(cache.TryGetToken(out _)); // miss
        await cache.GetTokenAsync(); // miss, then fetch
        for (var i = 0; i < 7; i++)
        {
            Assert.True(cache.TryGetToken(out _));
        }

        capture.Observe();

        Assert.Equal(2, capture.Values("jwtsso.token.cache.misses").Sum());
        Assert.Equal([7.0], capture.Values("jwtsso.token.cache.hits"));
    }

    [Fact]
    public async Task TimeToExpiry_Gauge_ReportsSecondsLeft()
    {
        var name = $"gauge-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync();

        time.Advance(TimeSpan.FromMinutes(10));
        capture.Observe();

        Assert.Equal([3000.0], capture.Values("jwtsso.token.time_to_expiry"));
    }

    [Fact]
    public async Task TimeToExpiry_DisposedCache_NoLongerReported()
    {
        var name = $"gone-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(time.Token(Hour)) };
        var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync();

        cache.Dispose();
        capture.Observe();

        Assert.Empty(capture.Values("jwtsso.token.time_to_expiry"));
    }

    [Fact]
    public async Task Fetch_EachSourceCall_OneActivityWithOutcome()
    {
        var name = $"trace-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        using var cache = await SuccessThenFailureAsync(name);

        var activities = capture.Activities.ToArray();
        Assert.Equal(2, activities.Length);
        Assert.All(activities, a => Assert.Equal("jwtsso.fetch", a.OperationName));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Unset, activities[0].Status);
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, activities[1].Status);
    }

    /// <summary>A cache whose source answers, then fails on the fetch half an hour later (two fetches, one of each outcome).</summary>
    private static async Task<JwtTokenCache> SuccessThenFailureAsync(string name)
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (n, _) => n == 2 ? throw new HttpRequestException("down") : new(time.Token(Hour)) };
        var cache = new JwtTokenCache(source, timeProvider: time);
        await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();
        return cache;
    }
}
