using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.EndToEnd.Tests.LeakScan;

/// <summary>
/// Captures, as text, everything a process emits: log records at every level (message, state values, exception),
/// every stopped Activity of every source (names, tags, events, status), every metric measurement of every meter
/// (instrument, value, tags) and every exception thrown anywhere in the process (first chance).
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly ConcurrentQueue<string> _records = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private int _logCount;
    private int _activityCount;
    private int _measurementCount;
    private int _exceptionCount;

    public TelemetryCapture()
    {
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new Provider(this)));
        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnActivity,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _meters.SetMeasurementEventCallback<long>(OnMeasurement);
        _meters.SetMeasurementEventCallback<int>(OnMeasurement);
        _meters.SetMeasurementEventCallback<double>(OnMeasurement);
        _meters.SetMeasurementEventCallback<float>(OnMeasurement);
        _meters.Start();
        AppDomain.CurrentDomain.FirstChanceException += OnException;
    }

    public ILoggerFactory LoggerFactory { get; }

    public int LogCount => _logCount;

    public int ActivityCount => _activityCount;

    public int MeasurementCount => _measurementCount;

    public int ExceptionCount => _exceptionCount;

    public string Text
    {
        get
        {
            _meters.RecordObservableInstruments();
            return string.Join('\n', _records);
        }
    }

    public void Add(string record) => _records.Enqueue(record);

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnException;
        _meters.Dispose();
        _activities.Dispose();
        LoggerFactory.Dispose();
    }

    private void OnException(object? sender, FirstChanceExceptionEventArgs e)
    {
        Interlocked.Increment(ref _exceptionCount);
        Add("exception: " + e.Exception);
    }

    private void OnActivity(Activity activity)
    {
        Interlocked.Increment(ref _activityCount);
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

        Add(text.ToString());
    }

    private void OnMeasurement<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        Interlocked.Increment(ref _measurementCount);
        var text = new StringBuilder($"metric: {instrument.Meter.Name} {instrument.Name} {instrument.Unit} {instrument.Description} {value}");
        foreach (var (key, tagValue) in tags)
        {
            text.Append($" {key}={tagValue}");
        }

        Add(text.ToString());
    }

    private sealed class Provider(TelemetryCapture capture) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(capture, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(TelemetryCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            capture.Add($"scope: {category} {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref capture._logCount);
            var text = new StringBuilder($"log: {logLevel} {category} {eventId} {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append($" {key}={value}");
                }
            }

            if (exception is not null)
            {
                text.Append(' ').Append(exception);
            }

            capture.Add(text.ToString());
        }
    }
}
