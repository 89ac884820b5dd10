using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Npgsql.JwtSso.Tests.Telemetry;

/// <summary>Captures the library's measurements and activities for one source name (tests run in parallel).</summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly string _sourceName;
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;

    public TelemetryCapture(string sourceName)
    {
        _sourceName = sourceName;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql.JwtSso")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql.JwtSso",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("jwtsso.source"), _sourceName))
                {
                    Activities.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> Measurements { get; } = new();

    /// <summary>Gets the meters the captured measurements came from (to tell a host's meter from the static one).</summary>
    public ConcurrentQueue<Meter> Meters { get; } = new();

    public ConcurrentQueue<Activity> Activities { get; } = new();

    public void Observe() => _meters.RecordObservableInstruments();

    public double[] Values(string instrument) => [.. Measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];

    /// <summary>Values without an error.type tag (successful calls).</summary>
    public double[] Successes(string instrument)
        => [.. Measurements.Where(m => m.Instrument == instrument && m.Tags.All(t => t.Key != "error.type")).Select(m => m.Value)];

    /// <summary>Values tagged error.type = <paramref name="errorType"/>.</summary>
    public double[] Failures(string instrument, string errorType)
        => [.. Measurements.Where(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == "error.type" && Equals(t.Value, errorType))).Select(m => m.Value)];

    public IEnumerable<string> AllText()
        => Measurements.SelectMany(m => m.Tags.Select(t => $"{t.Key}={t.Value}"))
            .Concat(Activities.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.StatusDescription ?? string.Empty).Append(a.DisplayName)));

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = tags.ToArray();
        if (copy.Any(t => t.Key == "jwtsso.source" && Equals(t.Value, _sourceName)))
        {
            Meters.Enqueue(instrument.Meter);
            Measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
        }
    }
}
