using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

/// <summary>Captures every log line (any level, with its exception) and every measurement of the shared cache's meter.</summary>
public sealed class Capture : ILoggerFactory, ILogger, IDisposable
{
    private readonly MeterListener _listener = new();

    public Capture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is "Npgsql.JwtSso.Redis" or "Npgsql.JwtSso")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            Measurements.Enqueue((instrument.Name, value, tags.ToArray().Select(t => new KeyValuePair<string, string?>(t.Key, t.Value?.ToString())).ToArray())));
        _listener.Start();
    }

    public ConcurrentQueue<(LogLevel Level, string Text)> Logs { get; } = new();

    public ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, string?>[] Tags)> Measurements { get; } = new();

    /// <summary>Sums a counter for one source (measurements of other tests' sources run in parallel are ignored).</summary>
    public long Sum(string instrument, string source, string? tag = null, string? value = null)
        => Measurements.Where(m => m.Instrument == instrument
                && m.Tags.Any(t => t.Key == "jwtsso.source" && t.Value == source)
                && (tag is null || m.Tags.Any(t => t.Key == tag && t.Value == value)))
            .Sum(m => m.Value);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Logs.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : " | " + exception)));

    public void Dispose() => _listener.Dispose();
}
