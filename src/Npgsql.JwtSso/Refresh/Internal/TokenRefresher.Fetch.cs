using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Internal;

/// <summary>One attempt: wait for a rate-limit permit, call the source (bounded by the source timeout), then publish.</summary>
internal sealed partial class TokenRefresher
{
    private static readonly TimeSpan MinCappedRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLastChanceLead = TimeSpan.FromSeconds(5);

    private async Task RunFetchAsync(TaskCompletionSource<JwtToken> tcs)
    {
        try
        {
            await WaitForPermitAsync().ConfigureAwait(false);
            var state = await CallSourceAsync().ConfigureAwait(false);
            OnFetched(tcs, state);
        }
        catch (Exception) when (_disposeCts.IsCancellationRequested)
        {
            Fault(tcs, Disposed());
        }
        catch (Exception ex)
        {
            OnFailed(tcs, ex as JwtSsoException ?? Classify(ex, timedOut: false));
        }
    }

    private async Task WaitForPermitAsync()
    {
        while (true)
        {
            long now;
            long next;
            var limited = false;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(JwtTokenCache));
                now = _time.GetTimestamp();
                next = Volatile.Read(ref _notBefore);
                if (next <= now)
                {
                    if (_limiter.TryAcquire(now, out next))
                    {
                        _nextAttemptAt = null;
                        return;
                    }

                    limited = true;
                }

                _nextAttemptAt = ToUtc(next, now);
            }

            if (limited)
            {
                var startAt = _time.GetUtcNow() + ToSpan(next - now);
                Report(log => Log.RateLimited(log, SourceName, startAt));
            }

            var delay = Task.Delay(ToSpan(next - now), _time, _disposeCts.Token);
            _clockWait = delay;
            await delay.ConfigureAwait(false);
        }
    }

    private async Task<TokenState> CallSourceAsync()
    {
        Report(log => Log.FetchStarting(log, SourceName));
        using var activity = JwtSsoTelemetry.ActivitySource.StartActivity("jwtsso.fetch", ActivityKind.Client);
        activity?.SetTag(JwtSsoTelemetry.SourceTag, SourceName);
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_sourceTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposeCts.Token);
        Task<JwtToken>? call = null;
        try
        {
            // WaitAsync bounds a source that ignores its cancellation token.
            call = _source.GetTokenAsync(linked.Token).AsTask();
            var token = await call.WaitAsync(linked.Token).ConfigureAwait(false)
                ?? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, SourceName, $"The token source '{SourceName}' returned null instead of a token; this is a bug in the source.");
            var state = CreateState(token);
            Record(started, activity, null);
            return state;
        }
        catch (Exception ex) when (!_disposeCts.IsCancellationRequested)
        {
            // Not when disposing: the cancellation then is ours, and RunFetchAsync reports the disposal.
            var error = Classify(ex, timeout.IsCancellationRequested);
            Record(started, activity, error);
            throw error;
        }
        finally
        {
            if (call is { IsCompleted: false })
            {
                ObserveAbandoned(call);
            }
        }
    }

    /// <summary>
    /// A source that ignored its cancellation token is left running; its eventual failure must not surface as an
    /// unobserved task exception (fatal under <c>ThrowUnobservedTaskExceptions</c>), so it is observed and counted.
    /// </summary>
    private void ObserveAbandoned(Task<JwtToken> call)
    {
        _metrics.FetchesAbandoned.Add(1, JwtSsoTelemetry.Source(SourceName));
        _ = call.ContinueWith(
            static t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Record(long started, Activity? activity, JwtSsoException? error)
    {
        var source = JwtSsoTelemetry.Source(SourceName);
        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        if (error is null)
        {
            _metrics.Fetches.Add(1, source);
            _metrics.FetchDuration.Record(seconds, source);
            return;
        }

        var errorType = new KeyValuePair<string, object?>(JwtSsoTelemetry.ErrorTypeTag, JwtSsoTelemetry.ErrorType(error.Kind));
        _metrics.Fetches.Add(1, source, errorType);
        _metrics.FetchDuration.Record(seconds, source, errorType);
        activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        activity?.SetTag(errorType.Key, errorType.Value);
    }

    private JwtSsoException Classify(Exception ex, bool timedOut) => ex switch
    {
        _ when timedOut => new JwtSsoException(
            JwtSsoErrorKind.Timeout,
            SourceName,
            $"The token source '{SourceName}' did not answer within JwtTokenCacheOptions.SourceTimeout ({_sourceTimeout}). Check that its identity provider is reachable from this host, or raise SourceTimeout.",
            ex)
        {
            IsTransient = true,
        },
        JwtSsoException known => known,
        OperationCanceledException => new JwtSsoException(
            JwtSsoErrorKind.SourceFailed,
            SourceName,
            $"The token source '{SourceName}' cancelled its own call (for example an HTTP client timeout). Check that its identity provider is reachable; the inner exception has the details.",
            ex)
        {
            IsTransient = true,
        },
        _ => new JwtSsoException(
            JwtSsoErrorKind.SourceFailed,
            SourceName,
            $"The token source '{SourceName}' failed with {ex.GetType().Name}. Check the source's configuration and that its identity provider is reachable; the inner exception has the details.",
            ex),
    };

    private TokenState CreateState(JwtToken token)
    {
        var now = _time.GetUtcNow();
        var nowTimestamp = _time.GetTimestamp();
        var expiresOn = token.ExpiresOn ?? now + _assumedLifetime;
        var lifetime = expiresOn - now;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                SourceName,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The token from source '{SourceName}' is unusable on arrival: it expires at {expiresOn:u}, {lifetime.TotalSeconds:0} s from now ({now:u}), but JwtTokenCacheOptions.SafetyMargin requires more than {_safetyMargin.TotalSeconds:0} s left. Check the clocks of this host and of the identity provider and the token lifetime the provider issues, or lower SafetyMargin."));
        }

        var margin = ShortLivedTokens.Margin(lifetime, _safetyMargin, _refreshFraction, SourceName);
        if (margin != _safetyMargin && Interlocked.Exchange(ref _marginAdaptedLogged, 1) == 0)
        {
            Report(log => Log.SafetyMarginAdapted(log, SourceName, lifetime, _safetyMargin, _refreshFraction, margin));
        }

        var usableUntil = expiresOn - margin;
        if (token.ExpiresOn is null)
        {
            Report(log => Log.TokenWithoutExpiry(log, SourceName, token.Fingerprint, _assumedLifetime));
        }

        var refreshAt = now + (lifetime * _refreshFraction);
        if (token.RefreshOn is { } hint && hint > now && hint < refreshAt)
        {
            refreshAt = hint;
        }

        if (refreshAt > usableUntil)
        {
            // Cannot happen with the adapted margin; kept as a guard: refresh within the usable part.
            refreshAt = now + ((usableUntil - now) * _refreshFraction);
        }

        if (_refreshJitter > 0)
        {
            // Earlier only, never later: a fleet started together spreads its refreshes instead of moving them past RefreshAt.
            refreshAt -= (refreshAt - now) * (_refreshJitter * _jitterRandom());
        }

        return new TokenState(
            token,
            now,
            expiresOn,
            refreshAt,
            usableUntil,
            nowTimestamp + ToTimestamp(refreshAt - now),
            nowTimestamp + ToTimestamp(usableUntil - now),
            _systemClock ? Environment.TickCount64 + (long)(refreshAt - now).TotalMilliseconds - CoarseClockSlackMilliseconds : 0);
    }

    private void OnFetched(TaskCompletionSource<JwtToken> tcs, TokenState state)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                Fault(tcs, Disposed());
                return;
            }

            _state = state;
            _inflight = null;
            _failures = 0;
            _lastFailure = null;
            _nextAttemptAt = null;
            _lastRefreshed = state.FetchedAt;
            Volatile.Write(ref _notBefore, 0);
            _backoff.Reset();
            ScheduleLocked(state.RefreshDueTimestamp, _time.GetTimestamp());
        }

        // Waiters first: nothing a logger does may delay or change the outcome.
        tcs.TrySetResult(state.Token);
        Report(log => Log.TokenFetched(log, SourceName, state.ExpiresOn, state.Token.Fingerprint, state.RefreshAt));
    }

    private void OnFailed(TaskCompletionSource<JwtToken> tcs, JwtSsoException error)
    {
        DateTimeOffset retryAt;
        int failures;
        TokenState? serving;
        lock (_gate)
        {
            if (_disposed)
            {
                Fault(tcs, Disposed());
                return;
            }

            _inflight = null;
            var now = _time.GetTimestamp();
            serving = _state is { } state && IsUsable(state, now) ? state : null;
            var at = NextAttemptLocked(now, serving, error.RetryAfter);
            Volatile.Write(ref _notBefore, at);
            retryAt = ToUtc(at, now);
            _nextAttemptAt = retryAt;
            _lastFailure = error;
            failures = ++_failures;
            ScheduleLocked(at, now);
        }

        Fault(tcs, error);
        Report(log => Log.RefreshFailed(log, SourceName, failures, error.Message, retryAt, error));
        if (serving is not null)
        {
            Report(log => Log.ServingStaleToken(log, SourceName, serving.Token.Fingerprint, serving.UsableUntil));
        }
    }

    /// <summary>
    /// When to try again after a failure. A server's <c>Retry-After</c> is honoured up to MaxRetryDelay. While a token is
    /// served: backoff, pulled in to at most half-way to its usable-until point, pushed out to the next permit, and never
    /// later than the last chance (shortly before usable-until), for which one permit is kept in reserve. With no
    /// usable token: backoff capped at the no-token pace (Retry-After included) and pushed out to the next permit.
    /// </summary>
    private long NextAttemptLocked(long now, TokenState? serving, TimeSpan? retryAfter)
    {
        var delay = _backoff.Next();
        if (retryAfter is { } asked)
        {
            asked = asked < _maxRetryDelay ? asked : _maxRetryDelay;
            delay = asked > delay ? asked : delay;
        }

        if (serving is not null)
        {
            var lastChance = serving.UsableUntilTimestamp - ToTimestamp(LastChanceLead(serving));
            if (now < lastChance)
            {
                // Try again before the current token runs out: at the latest half-way to its usable-until point.
                // (This may undercut MinRetryDelay; the rate limit still bounds the calls.)
                var halfLeft = ToSpan((serving.UsableUntilTimestamp - now) / 2);
                var floor = _minRetryDelay < MinCappedRetryDelay ? _minRetryDelay : MinCappedRetryDelay;
                var pulledIn = delay < halfLeft ? delay : halfLeft < floor ? floor : halfLeft;
                var at = Math.Max(now + ToTimestamp(pulledIn), _limiter.NextAvailable(now));
                return at >= lastChance || !_limiter.CanSpare(at, lastChance) ? lastChance : at;
            }

            // That was the last chance: from here on the token runs out, so keep the no-token pace.
        }

        // Nothing (or nearly nothing) left to serve: every open waits for the next attempt, so keep attempts frequent
        // (the rate limit still bounds them) and recover within seconds of the identity provider coming back.
        delay = delay < _noTokenRetryCap ? delay : _noTokenRetryCap;
        return Math.Max(now + ToTimestamp(delay), _limiter.NextAvailable(now));
    }

    /// <summary>How long before usable-until the last-chance attempt starts: a tenth of the refresh window, at most 5 s.</summary>
    private static TimeSpan LastChanceLead(TokenState state)
    {
        var tenth = (state.UsableUntil - state.RefreshAt) / 10;
        return tenth < MaxLastChanceLead ? tenth : MaxLastChanceLead;
    }

    /// <summary>Runs a logging call so that a throwing logger can never change an outcome or leave a waiter hanging.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Logging is best effort; its failure must not change the outcome of a fetch.")]
    private void Report(Action<ILogger> write)
    {
        try
        {
            write(_logger);
        }
        catch (Exception)
        {
            // Deliberately ignored.
        }
    }
}
