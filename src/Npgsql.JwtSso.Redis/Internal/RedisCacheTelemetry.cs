using System.Diagnostics.Metrics;

namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>The shared cache's meter (<c>Npgsql.JwtSso.Redis</c>). Tags name the source and an outcome, never token text.</summary>
internal static class RedisCacheTelemetry
{
    public const string MeterName = "Npgsql.JwtSso.Redis";
    public const string SourceTag = "jwtsso.source";
    public const string OutcomeTag = "jwtsso.outcome";
    public const string ReasonTag = "jwtsso.reason";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Entry lookups: hit (taken from Redis), miss, stale (too old for this instance's refresh point), rejected.</summary>
    public static readonly Counter<long> Lookups = Meter.CreateCounter<long>("jwtsso.redis.lookups", "{lookup}", "Lookups of the shared token entry in Redis, by outcome.");

    /// <summary>Entries that failed the checks (decryption, parsing, expiry, issuer, audience) and were dropped.</summary>
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("jwtsso.redis.entries.rejected", "{entry}", "Shared token entries that failed a check and were dropped, by reason.");

    /// <summary>Lease outcomes: acquired (this instance fetched), waited (took the holder's token), timed_out (fetched alone after LeaseWait).</summary>
    public static readonly Counter<long> Leases = Meter.CreateCounter<long>("jwtsso.redis.leases", "{lease}", "Fetch leases, by outcome.");

    /// <summary>Fetches made without the shared cache because Redis failed or was too slow.</summary>
    public static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("jwtsso.redis.fallbacks", "{fetch}", "Fetches made alone because Redis failed or exceeded OperationTimeout.");

    /// <summary>Redis operations that failed or exceeded OperationTimeout.</summary>
    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("jwtsso.redis.errors", "{operation}", "Redis operations that failed or exceeded OperationTimeout, by operation.");
}
