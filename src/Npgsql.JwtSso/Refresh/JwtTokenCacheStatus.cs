namespace Npgsql.JwtSso;

/// <summary>A snapshot of a <see cref="JwtTokenCache"/>, for health checks and diagnostics. Never contains token text.</summary>
/// <param name="SourceName">The name of the token source.</param>
/// <param name="HasUsableToken">Whether a token with more than the safety margin left is cached.</param>
/// <param name="ExpiresOn">The expiry of the cached token, if any (for a token without <c>exp</c>, the assumed expiry).</param>
/// <param name="RefreshAt">When the next refresh is due, if known.</param>
/// <param name="LastRefreshed">When a token was last obtained from the source, if ever.</param>
/// <param name="LastError">The message of the last failed refresh since the last success, or <see langword="null"/>.</param>
/// <param name="ConsecutiveFailures">How many refreshes failed in a row.</param>
/// <param name="NextRetryAt">When a failed refresh will be retried, if one is pending.</param>
public sealed record JwtTokenCacheStatus(
    string SourceName,
    bool HasUsableToken,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset? RefreshAt,
    DateTimeOffset? LastRefreshed,
    string? LastError,
    int ConsecutiveFailures,
    DateTimeOffset? NextRetryAt);
