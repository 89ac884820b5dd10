using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>Records every log entry at every level: formatted message, structured values and exception text.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        Entries.Enqueue("scope: " + state);
        return null;
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
        Entries.Enqueue($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
    }

    public void Dispose()
    {
    }
}
