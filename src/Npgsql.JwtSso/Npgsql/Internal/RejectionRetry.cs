using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Internal;

/// <summary>What <see cref="RejectionRetry"/> decided for one rejected open.</summary>
internal readonly record struct RetryPlan(bool Retry, TimeSpan Delay, JwtToken? MustNotResend)
{
    public static RetryPlan None => default;
}

/// <summary>
/// The rule for a login the cluster rejected (README "When the cluster says no"), per data source: retry once only where
/// something can change the answer. A rejection by configuration fails at once (no identity-provider call, no second
/// login). An expired token, an unknown key or a bad signature is invalidated and retried with a fresh token, unless it
/// was fetched for this very open. A not-yet-valid token (<c>iat</c>/<c>nbf</c> in the cluster's future) is re-sent
/// unchanged once its time has come, within <see cref="MaxNotYetValidWait"/>. The same rejection of the same token
/// (by fingerprint) is never retried twice in a row, so a source that hands back a rejected token unchanged costs one
/// login per open and no fetch.
/// </summary>
internal sealed class RejectionRetry(JwtSsoWiring wiring)
{
    /// <summary>The longest wait for a token whose <c>iat</c>/<c>nbf</c> lies in the future; beyond it the clocks need fixing.</summary>
    public static readonly TimeSpan MaxNotYetValidWait = TimeSpan.FromSeconds(2);

    /// <summary>Added to the wait: the cluster's clock may be a little behind ours, and it compares whole seconds.</summary>
    public static readonly TimeSpan NotYetValidPad = TimeSpan.FromMilliseconds(500);

    private volatile LastRejection? _last;

    public TimeProvider Time => wiring.Cache.Time;

    public RetryPlan Plan(Exception error, OpenAttempt attempt)
    {
        if (error is not PostgresException pg || attempt.Token is not { } token)
        {
            return RetryPlan.None;
        }

        var kind = CockroachServerErrors.ClassifyRejection(pg);
        if (kind is JwtRejectionKind.None or JwtRejectionKind.Configuration)
        {
            return RetryPlan.None;
        }

        var fingerprint = token.Fingerprint;
        var previous = _last;
        _last = new LastRejection(fingerprint, kind);
        if (!wiring.Options.RetryRejectedOpen)
        {
            return RetryPlan.None;
        }

        if (previous is not null && previous.Kind == kind && previous.Fingerprint == fingerprint)
        {
            Log.RejectedAgainUnchanged(wiring.Logger, fingerprint, pg.MessageText);
            return RetryPlan.None;
        }

        if (kind == JwtRejectionKind.NotYetValid)
        {
            return WaitForValidity(token, pg) is { } delay ? new RetryPlan(true, delay, null) : RetryPlan.None;
        }

        // A token fetched for this very open came straight from the source: fetching again gives the same answer.
        if (!attempt.FromCache)
        {
            return RetryPlan.None;
        }

        Log.RetryingRejectedOpen(wiring.Logger, token.ToString(), pg.MessageText);
        wiring.Cache.Invalidate(token);
        return new RetryPlan(true, TimeSpan.Zero, token);
    }

    private TimeSpan? WaitForValidity(JwtToken token, PostgresException pg)
    {
        var due = Later(token.IssuedAt, token.NotBefore);
        if (due is null)
        {
            return null;
        }

        var ahead = due.Value - Time.GetUtcNow();
        if (ahead > MaxNotYetValidWait)
        {
            return null;
        }

        var wait = (ahead > TimeSpan.Zero ? ahead : TimeSpan.Zero) + NotYetValidPad;
        wait = wait < MaxNotYetValidWait ? wait : MaxNotYetValidWait;
        Log.ResendingNotYetValid(wiring.Logger, token.ToString(), pg.MessageText, wait);
        return wait;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b)
        => a is null ? b : b is null ? a : (a > b ? a : b);

    private sealed record LastRejection(string Fingerprint, JwtRejectionKind Kind);
}
