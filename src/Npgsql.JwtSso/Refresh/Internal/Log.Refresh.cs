using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Internal;

/// <summary>Log messages of the refresh engine: source names, expiries and fingerprints, never token text.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Obtained a token from source '{Source}' (expires {ExpiresOn:u}, fingerprint {Fingerprint}); next refresh at {RefreshAt:u}.")]
    public static partial void TokenFetched(ILogger logger, string source, DateTimeOffset expiresOn, string fingerprint, DateTimeOffset refreshAt);

    [LoggerMessage(2, LogLevel.Warning, "Refreshing the token from source '{Source}' failed ({Failures} in a row): {Error} Next attempt at {RetryAt:u}.")]
    public static partial void RefreshFailed(ILogger logger, string source, int failures, string error, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "The token from source '{Source}' (fingerprint {Fingerprint}) has no 'exp' claim: CockroachDB accepts it forever. Assuming a lifetime of {AssumedLifetime} (JwtSsoOptions.AssumedLifetime); prefer an issuer that sets 'exp'.")]
    public static partial void TokenWithoutExpiry(ILogger logger, string source, string fingerprint, TimeSpan assumedLifetime);

    [LoggerMessage(4, LogLevel.Warning, "Still serving the current token of source '{Source}' (fingerprint {Fingerprint}, usable until {UsableUntil:u}) while its refresh is failing.")]
    public static partial void ServingStaleToken(ILogger logger, string source, string fingerprint, DateTimeOffset usableUntil);

    [LoggerMessage(5, LogLevel.Information, "Dropped the token of source '{Source}' (fingerprint {Fingerprint}) because it was rejected; the next open fetches a fresh one.")]
    public static partial void TokenInvalidated(ILogger logger, string source, string fingerprint);

    [LoggerMessage(6, LogLevel.Debug, "Calling token source '{Source}'.")]
    public static partial void FetchStarting(ILogger logger, string source);

    [LoggerMessage(7, LogLevel.Debug, "Rate limit of source '{Source}' reached (JwtSsoOptions.RateLimitBurst per RateLimitWindow); the next call starts at {StartAt:u}.")]
    public static partial void RateLimited(ILogger logger, string source, DateTimeOffset startAt);

    [LoggerMessage(8, LogLevel.Warning, "Tokens of source '{Source}' live only {Lifetime}: JwtSsoOptions.SafetyMargin ({SafetyMargin}) must stay below lifetime × (1 − RefreshAt {RefreshAt}), so a margin of {Margin} is used for them. Set SafetyMargin below that bound to choose the margin yourself.")]
    public static partial void SafetyMarginAdapted(ILogger logger, string source, TimeSpan lifetime, TimeSpan safetyMargin, double refreshAt, TimeSpan margin);
}
