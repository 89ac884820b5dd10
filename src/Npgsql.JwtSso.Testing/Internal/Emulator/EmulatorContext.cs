using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>What every emulator connection shares: settings, validator, upstream address, certificate, counters.</summary>
internal sealed class EmulatorContext
{
    private long _attempted;
    private long _succeeded;
    private long _rejected;
    private CockroachJwtRejection? _lastRejection;

    internal EmulatorContext(CockroachJwtSettings settings, JwtLoginValidator validator, PostgresUsers users, string upstreamHost, int upstreamPort, X509Certificate2 certificate, bool tlsEnabled, bool acceptPlaintext, ILogger logger)
    {
        Settings = settings;
        Validator = validator;
        Users = users;
        UpstreamHost = upstreamHost;
        UpstreamPort = upstreamPort;
        Certificate = certificate;
        TlsEnabled = tlsEnabled;
        AcceptPlaintext = acceptPlaintext;
        Logger = logger;
    }

    internal CockroachJwtSettings Settings { get; }

    internal JwtLoginValidator Validator { get; }

    internal PostgresUsers Users { get; }

    internal string UpstreamHost { get; }

    internal int UpstreamPort { get; }

    internal X509Certificate2 Certificate { get; }

    internal bool TlsEnabled { get; }

    internal bool AcceptPlaintext { get; }

    internal ILogger Logger { get; }

    internal long Attempted => Interlocked.Read(ref _attempted);

    internal long Succeeded => Interlocked.Read(ref _succeeded);

    internal long Rejected => Interlocked.Read(ref _rejected);

    internal CockroachJwtRejection? LastRejection => Volatile.Read(ref _lastRejection);

    internal void CountAttempt() => Interlocked.Increment(ref _attempted);

    internal void CountSuccess() => Interlocked.Increment(ref _succeeded);

    internal void CountRejection(CockroachJwtRejection rejection)
    {
        Volatile.Write(ref _lastRejection, rejection);
        Interlocked.Increment(ref _rejected);
    }

    internal void ResetCounters()
    {
        Interlocked.Exchange(ref _attempted, 0);
        Interlocked.Exchange(ref _succeeded, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Volatile.Write(ref _lastRejection, null);
    }
}
