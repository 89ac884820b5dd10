namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The immutable snapshot the hot path reads with one volatile load. The deadlines are precomputed in
/// <see cref="TimeProvider.GetTimestamp"/> units so a lookup is one clock read and one comparison.
/// </summary>
internal sealed class TokenState
{
    public TokenState(JwtToken token, DateTimeOffset fetchedAt, DateTimeOffset expiresOn, DateTimeOffset refreshAt, DateTimeOffset usableUntil, long refreshDueTimestamp, long usableUntilTimestamp, long refreshDueTick)
    {
        Token = token;
        FetchedAt = fetchedAt;
        ExpiresOn = expiresOn;
        RefreshAt = refreshAt;
        UsableUntil = usableUntil;
        RefreshDueTimestamp = refreshDueTimestamp;
        UsableUntilTimestamp = usableUntilTimestamp;
        RefreshDueTick = refreshDueTick;
    }

    public JwtToken Token { get; }

    public DateTimeOffset FetchedAt { get; }

    /// <summary>Gets the token's <c>exp</c>, or the assumed expiry for a token without one.</summary>
    public DateTimeOffset ExpiresOn { get; }

    public DateTimeOffset RefreshAt { get; }

    /// <summary>Gets the expiry minus the safety margin: the token is never handed out from this instant on.</summary>
    public DateTimeOffset UsableUntil { get; }

    /// <summary>Gets the refresh point as a timestamp; before it a lookup needs nothing but this comparison.</summary>
    public long RefreshDueTimestamp { get; }

    public long UsableUntilTimestamp { get; }

    /// <summary>
    /// Gets the refresh point on the <see cref="Environment.TickCount64"/> scale (a few milliseconds early), used instead of
    /// <see cref="RefreshDueTimestamp"/> when the clock is <see cref="TimeProvider.System"/>: the coarse monotonic clock
    /// costs a few nanoseconds where a precise timestamp costs tens, and the hot path reads it on every physical open.
    /// </summary>
    public long RefreshDueTick { get; }
}
