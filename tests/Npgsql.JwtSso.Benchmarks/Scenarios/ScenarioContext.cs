using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>What every scenario gets: the shared PostgreSQL, the sizes to run with, where to log, where to write.</summary>
public sealed class ScenarioContext
{
    public required TestPostgres Postgres { get; init; }

    /// <summary>Gets a value indicating whether to run with small counts (smoke runs, the leak scan).</summary>
    public bool Quick { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Gets how long the measured part of the opens scenario runs (default 40 s, 2 s when quick).</summary>
    public TimeSpan? OpensDuration { get; init; }

    public TextWriter Out { get; init; } = Console.Out;

    /// <summary>Gets every exception a scenario caught (the leak scan searches their text too).</summary>
    public List<Exception> Exceptions { get; } = [];

    /// <summary>Gets every token and client secret the scenarios handled (what the leak scan searches for).</summary>
    public ConcurrentDictionary<string, bool> Secrets { get; } = new(StringComparer.Ordinal);

    public void RememberSecret(string secret) => Secrets.TryAdd(secret, true);

    public void Record(Exception e)
    {
        lock (Exceptions)
        {
            Exceptions.Add(e);
        }
    }
}
