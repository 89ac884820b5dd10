using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// Records every log entry at every level in a <see cref="FakeLogCollector"/>, plus what a sink could also write out:
/// every scope begun (even one nothing is logged in) and the type of every structured value. Use it directly as the
/// <see cref="ILoggerFactory"/>, or as a provider of a real one.
/// </summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly object _gate = new();
    private readonly List<(Func<FakeLogRecord, bool> Match, TaskCompletionSource<FakeLogRecord> Signal)> _waiters = [];
    private readonly ConcurrentQueue<string> _scopes = new();
    private readonly ConcurrentQueue<Type> _valueTypes = new();

    public RecordingLoggerFactory()
    {
        Collector = FakeLogCollector.Create(new FakeLogCollectorOptions { OutputSink = _ => Signal() });
    }

    public FakeLogCollector Collector { get; }

    /// <summary>Gets the entries recorded so far, in order.</summary>
    public IReadOnlyList<FakeLogRecord> Entries => Collector.GetSnapshot();

    /// <summary>Gets the types of every structured value logged: a sink may serialize them, so none may hold a token.</summary>
    public IReadOnlyList<Type> ValueTypes => [.. _valueTypes];

    /// <summary>Gets every piece of text the entries carry (see <see cref="RecordingLoggerFactoryExtensions"/>) and every scope begun, for leak checks.</summary>
    public IEnumerable<string> Texts => Entries.Select(e => e.Text).Concat(_scopes);

    /// <summary>Gets <see cref="Texts"/> as one text, a line each.</summary>
    public string AllText => string.Join('\n', Texts);

    /// <summary>Waits (real time, as a hang guard only) until an entry matching <paramref name="match"/> is recorded, or returns one already recorded.</summary>
    public Task<FakeLogRecord> WaitForAsync(Func<FakeLogRecord, bool> match)
    {
        var signal = new TaskCompletionSource<FakeLogRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((match, signal));
        }

        Signal();
        return signal.Task.WaitAsync(TestTime.HangGuard);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, new FakeLogger(Collector, categoryName), categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Signal()
    {
        // Snapshot first: the collector may call its sink under its own lock, so never ask it for one under ours.
        var entries = Collector.GetSnapshot();
        lock (_gate)
        {
            foreach (var waiter in _waiters.ToList())
            {
                if (entries.FirstOrDefault(waiter.Match) is { } found)
                {
                    waiter.Signal.TrySetResult(found);
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    private sealed class Logger(RecordingLoggerFactory owner, FakeLogger inner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._scopes.Enqueue($"scope: {category} {state}");
            return inner.BeginScope(state);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var value in pairs.Select(p => p.Value).OfType<object>())
                {
                    owner._valueTypes.Enqueue(value.GetType());
                }
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}

/// <summary>The text of a recorded entry.</summary>
internal static class RecordingLoggerFactoryExtensions
{
    extension(FakeLogRecord record)
    {
        /// <summary>Gets level, category, event, formatted message, structured values, scopes and exception as one line.</summary>
        public string Text
        {
            get
            {
                var values = string.Join(";", (record.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"));
                var scopes = string.Join(";", record.Scopes.Select(s => $"{s}"));
                return $"{record.Level} {record.Category} {record.Id}: {record.Message} [{values}] [{scopes}] {record.Exception}";
            }
        }
    }
}
