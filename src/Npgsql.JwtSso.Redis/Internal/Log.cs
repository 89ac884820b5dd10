using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>Log messages of the shared cache: source names, reasons, fingerprints and Redis errors, never token text.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Redis is unavailable for the shared token cache of source '{Source}' ({Operation} failed: {Error}); this instance fetches from the identity provider by itself until Redis answers again.")]
    public static partial void RedisUnavailable(ILogger logger, string source, string operation, string error);

    [LoggerMessage(102, LogLevel.Information, "Redis answers again; the shared token cache of source '{Source}' is back in use.")]
    public static partial void RedisRecovered(ILogger logger, string source);

    [LoggerMessage(103, LogLevel.Warning, "Dropped the shared token entry of source '{Source}' from Redis: {Reason}.")]
    public static partial void EntryRejected(ILogger logger, string source, string reason);

    [LoggerMessage(104, LogLevel.Warning, "Tokens of source '{Source}' are stored in Redis UNENCRYPTED (RedisTokenCacheOptions.AllowUnencryptedTokens): anyone who can read Redis can log in to the cluster as this identity. Use this for development only; register ASP.NET Core Data Protection with a key ring shared by the fleet instead.")]
    public static partial void Unencrypted(ILogger logger, string source);

    [LoggerMessage(105, LogLevel.Error, "The token from source '{Source}' (fingerprint {Fingerprint}) is not shared through Redis: {Reason}. Fix RedisTokenCacheOptions.Issuer/Audience to match the tokens the source issues.")]
    public static partial void IdentityMismatch(ILogger logger, string source, string fingerprint, string reason);

    [LoggerMessage(106, LogLevel.Debug, "Took the token of source '{Source}' (fingerprint {Fingerprint}) from Redis; refresh due at {RefreshAt:u}.")]
    public static partial void TokenShared(ILogger logger, string source, string fingerprint, DateTimeOffset refreshAt);

    [LoggerMessage(107, LogLevel.Information, "Waited {Wait} for another instance's token of source '{Source}' (RedisTokenCacheOptions.LeaseWait); fetching by itself.")]
    public static partial void LeaseWaitExpired(ILogger logger, string source, TimeSpan wait);
}
