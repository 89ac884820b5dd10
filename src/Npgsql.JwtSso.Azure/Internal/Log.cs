using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>The source's log messages: scope, credential and timings only, never token text or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Requesting an Entra token for scope {Scope} with {Credential}")]
    internal static partial void Requesting(ILogger logger, string scope, string credential);

    // Only strings and dates: a structured sink must never get the JwtToken object (it would serialize its Value).
    [LoggerMessage(2, LogLevel.Debug, "Got an Entra token for scope {Scope} from {Credential} in {ElapsedMs} ms: fingerprint {Fingerprint}, expires {ExpiresOn}, refresh on {RefreshOn}")]
    internal static partial void Received(ILogger logger, string scope, string credential, long elapsedMs, string fingerprint, DateTimeOffset? expiresOn, DateTimeOffset? refreshOn);

    [LoggerMessage(3, LogLevel.Warning, "The first Entra token from {Credential} took {ElapsedMs} ms. Credential chains probe each credential in turn (10–25 s off Azure); in production use an explicit credential kind, and warm the token cache at startup")]
    internal static partial void SlowFirstToken(ILogger logger, string credential, long elapsedMs);

    [LoggerMessage(4, LogLevel.Information, "Using {Credential} for Entra tokens: meant for development. It does not cache tokens itself (the JwtSso cache in front of it does); in production use a managed or workload identity")]
    internal static partial void DeveloperCredential(ILogger logger, string credential);
}
