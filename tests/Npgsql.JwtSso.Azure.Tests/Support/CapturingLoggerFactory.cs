using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Azure.Tests.Support;

/// <summary>Captures every log line at every level, to prove what is (and is not) logged.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<(LogLevel Level, string Text)> _entries = [];

    internal IReadOnlyList<(LogLevel Level, string Text)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    internal string AllText => string.Join("\n", Entries.Select(e => e.Text));

    /// <summary>Gets the types of every structured value logged: a sink may serialize them, so none may hold a token.</summary>
    internal IReadOnlyList<Type> ValueTypes
    {
        get
        {
            lock (_entries)
            {
                return [.. _valueTypes];
            }
        }
    }

    private readonly List<Type> _valueTypes = [];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception) + (exception is null ? string.Empty : " " + exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                text += " " + string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"));
                lock (owner._entries)
                {
                    owner._valueTypes.AddRange(pairs.Where(p => p.Value is not null).Select(p => p.Value!.GetType()));
                }
            }

            lock (owner._entries)
            {
                owner._entries.Add((logLevel, text));
            }
        }
    }
}
