using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// Captures metric measurements (instrument, value, tags) and stopped activities (names, tags, events, baggage, status).
/// Given a token source name, only the library's measurements and activities tagged with that source (tests run in
/// parallel); without one, everything the process emits: every meter and activity source, every exception thrown
/// anywhere (first chance), and log records at every level through <see cref="LoggerFactory"/>.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private const string Library = "Npgsql.JwtSso";

    private readonly string? _sourceName;
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;
    private readonly ConcurrentQueue<string> _records = new();
    private int _exceptionCount;

    public TelemetryCapture(string? sourceName = null)
    {
        _sourceName = sourceName;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (sourceName is null || instrument.Meter.Name == Library)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>(Record);
        _meters.SetMeasurementEventCallback<int>(Record);
        _meters.SetMeasurementEventCallback<double>(Record);
        _meters.SetMeasurementEventCallback<float>(Record);
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = s => sourceName is null || s.Name == Library,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (sourceName is null || Equals(a.GetTagItem("jwtsso.source"), sourceName))
                {
                    Activities.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        if (sourceName is null)
        {
            AppDomain.CurrentDomain.FirstChanceException += OnException;
        }
    }

    public ConcurrentQueue<(Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)> Measurements { get; } = new();

    public ConcurrentQueue<Activity> Activities { get; } = new();

    /// <summary>Gets what was logged through <see cref="LoggerFactory"/>.</summary>
    public RecordingLoggerFactory Logs { get; } = new();

    /// <summary>Gets a logger factory that logs at every level into <see cref="Logs"/>.</summary>
    public ILoggerFactory LoggerFactory { get; }

    public int LogCount => Logs.Collector.Count;

    public int ActivityCount => Activities.Count;

    public int MeasurementCount => Measurements.Count;

    public int ExceptionCount => Volatile.Read(ref _exceptionCount);

    /// <summary>Gets every captured record as text, a line each: measurements, activities, exceptions, logs and what was <see cref="Add"/>ed.</summary>
    public IEnumerable<string> Texts
        => Measurements.Select(MeasurementText).Concat(Activities.Select(ActivityText)).Concat(_records).Concat(Logs.Texts);

    /// <summary>Gets <see cref="Texts"/> as one text, after observing the observable instruments.</summary>
    public string Text
    {
        get
        {
            Observe();
            return string.Join('\n', Texts);
        }
    }

    public void Observe() => _meters.RecordObservableInstruments();

    public void Add(string record) => _records.Enqueue(record);

    public double[] Values(string instrument) => [.. Measurements.Where(m => m.Instrument.Name == instrument).Select(m => m.Value)];

    /// <summary>Values without an error.type tag (successful calls).</summary>
    public double[] Successes(string instrument)
        => [.. Measurements.Where(m => m.Instrument.Name == instrument && m.Tags.All(t => t.Key != "error.type")).Select(m => m.Value)];

    /// <summary>Values tagged error.type = <paramref name="errorType"/>.</summary>
    public double[] Failures(string instrument, string errorType)
        => [.. Measurements.Where(m => m.Instrument.Name == instrument && m.Tags.Any(t => t.Key == "error.type" && Equals(t.Value, errorType))).Select(m => m.Value)];

    /// <summary>Gets the meters the captured measurements came from (to tell a host's meter from the static one).</summary>
    public IEnumerable<Meter> Meters => Measurements.Select(m => m.Instrument.Meter);

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnException;
        _meters.Dispose();
        _activities.Dispose();
        LoggerFactory.Dispose();
    }

    private static string MeasurementText((Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags) m)
    {
        var text = new StringBuilder($"metric: {m.Instrument.Meter.Name} {m.Instrument.Name} {m.Instrument.Unit} {m.Instrument.Description} {m.Value}");
        foreach (var (key, value) in m.Tags)
        {
            text.Append($" {key}={value}");
        }

        return text.ToString();
    }

    private static string ActivityText(Activity activity)
    {
        var text = new StringBuilder($"activity: {activity.Source.Name} {activity.OperationName} {activity.DisplayName} {activity.Status} {activity.StatusDescription}");
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append($" {key}={value}");
        }

        foreach (var e in activity.Events)
        {
            text.Append($" event {e.Name}");
            foreach (var (key, value) in e.Tags)
            {
                text.Append($" {key}={value}");
            }
        }

        foreach (var (key, value) in activity.Baggage)
        {
            text.Append($" baggage {key}={value}");
        }

        return text.ToString();
    }

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct
    {
        var copy = tags.ToArray();
        if (_sourceName is null || copy.Any(t => t.Key == "jwtsso.source" && Equals(t.Value, _sourceName)))
        {
            Measurements.Enqueue((instrument, Convert.ToDouble(value, CultureInfo.InvariantCulture), copy));
        }
    }

    private void OnException(object? sender, FirstChanceExceptionEventArgs e)
    {
        Interlocked.Increment(ref _exceptionCount);
        Add("exception: " + e.Exception);
    }
}
