using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Tests.Wiring;

/// <summary>Records every log entry at every level, formatted, for secrecy and warning assertions.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join("|", kv.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._entries.Enqueue((logLevel, formatter(state, exception) + " " + values + " " + exception));
        }
    }
}
