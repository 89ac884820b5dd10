namespace Npgsql.JwtSso;

/// <summary>A snapshot of a <see cref="JwtTokenCache"/>, for health checks and diagnostics. Never contains token text.</summary>
public sealed record JwtTokenCacheStatus
{
    /// <summary>Gets the name of the token source.</summary>
    public required string SourceName { get; init; }

    /// <summary>Gets a value indicating whether a token with more than the safety margin left is cached.</summary>
    public bool HasUsableToken { get; init; }

    /// <summary>Gets the expiry of the cached token, if any (for a token without <c>exp</c>, the assumed expiry).</summary>
    public DateTimeOffset? ExpiresOn { get; init; }

    /// <summary>Gets when the next refresh of the cached token is due, if known (the point that <see cref="JwtTokenCacheOptions.RefreshAt"/> places in its lifetime).</summary>
    public DateTimeOffset? NextRefreshAt { get; init; }

    /// <summary>Gets when a token was last obtained from the source, if ever.</summary>
    public DateTimeOffset? LastRefreshed { get; init; }

    /// <summary>Gets the message of the last failed refresh since the last success, or <see langword="null"/>.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets how many refreshes failed in a row.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Gets when a failed refresh will be retried, if one is pending.</summary>
    public DateTimeOffset? NextRetryAt { get; init; }
}
