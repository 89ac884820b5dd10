using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Tests.Telemetry;

/// <summary>An <see cref="ILoggerFactory"/> that records every entry at every level: formatted message, state values and exception.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>Gets every piece of text the entries carry, for leak checks.</summary>
    public IEnumerable<string> AllText()
        => Entries.SelectMany(e => new[] { e.Message, e.Exception ?? string.Empty }.Concat(e.State.Select(kv => $"{kv.Key}={kv.Value}")));

    internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, string? Exception);

    private sealed class RecordingLogger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            factory.Entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), [.. values], exception?.ToString()));
        }
    }
}
