using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Tests.Telemetry;

/// <summary>An <see cref="ILoggerFactory"/> that records every entry at every level: formatted message, state values and exception.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly object _gate = new();
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Signal)> _waiters = [];

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>Waits (real time, as a hang guard only) until an entry matching <paramref name="match"/> is recorded, or returns one already recorded.</summary>
    public Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match)
    {
        lock (_gate)
        {
            if (Entries.FirstOrDefault(match) is { } found)
            {
                return Task.FromResult(found);
            }

            var signal = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.WaitAsync(Refresh.TestTime.HangGuard);
        }
    }

    private void Add(LogEntry entry)
    {
        lock (_gate)
        {
            Entries.Enqueue(entry);
            foreach (var waiter in _waiters.Where(w => w.Match(entry)).ToList())
            {
                waiter.Signal.TrySetResult(entry);
                _waiters.Remove(waiter);
            }
        }
    }

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
            factory.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), [.. values], exception?.ToString()));
        }
    }
}
