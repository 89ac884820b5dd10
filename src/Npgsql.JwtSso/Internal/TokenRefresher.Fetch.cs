using System.Diagnostics;
using System.Globalization;

namespace Npgsql.JwtSso.Internal;

/// <summary>One attempt: wait for a rate-limit permit, call the source (bounded by the source timeout), then publish.</summary>
internal sealed partial class TokenRefresher
{
    private static readonly TimeSpan MinCappedRetryDelay = TimeSpan.FromSeconds(1);

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
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(JwtTokenCache));
                now = _time.GetTimestamp();
                if (_limiter.TryAcquire(now, out next))
                {
                    _nextAttemptAt = null;
                    return;
                }

                _nextAttemptAt = ToUtc(next, now);
            }

            Log.RateLimited(_logger, SourceName, _time.GetUtcNow() + ToSpan(next - now));
            await Task.Delay(ToSpan(next - now), _time, _disposeCts.Token).ConfigureAwait(false);
        }
    }

    private async Task<TokenState> CallSourceAsync()
    {
        Log.FetchStarting(_logger, SourceName);
        using var activity = JwtSsoTelemetry.ActivitySource.StartActivity("jwtsso.fetch", ActivityKind.Client);
        activity?.SetTag("jwtsso.source", SourceName);
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_sourceTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposeCts.Token);
        try
        {
            // WaitAsync bounds a source that ignores its cancellation token.
            var token = await _source.GetTokenAsync(linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false)
                ?? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, SourceName, $"The token source '{SourceName}' returned null instead of a token; this is a bug in the source.");
            var state = CreateState(token);
            Record(started, "success", activity, null);
            return state;
        }
        catch (Exception ex) when (!_disposeCts.IsCancellationRequested)
        {
            // Not when disposing: the cancellation then is ours, and RunFetchAsync reports the disposal.
            var error = Classify(ex, timeout.IsCancellationRequested);
            Record(started, "failure", activity, error);
            throw error;
        }
    }

    private void Record(long started, string outcome, Activity? activity, JwtSsoException? error)
    {
        var source = JwtSsoTelemetry.Source(SourceName);
        JwtSsoTelemetry.Fetches.Add(1, source, new KeyValuePair<string, object?>(JwtSsoTelemetry.OutcomeTag, outcome));
        JwtSsoTelemetry.FetchDuration.Record(_time.GetElapsedTime(started).TotalSeconds, source);
        if (error is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            activity?.SetTag("error.type", error.Kind.ToString());
        }
    }

    private JwtSsoException Classify(Exception ex, bool timedOut) => ex switch
    {
        _ when timedOut => new JwtSsoException(
            JwtSsoErrorKind.Timeout,
            SourceName,
            $"The token source '{SourceName}' did not answer within JwtSsoOptions.SourceTimeout ({_sourceTimeout}). Check that its identity provider is reachable from this host, or raise SourceTimeout.",
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
        var usableUntil = expiresOn - _safetyMargin;
        if (usableUntil <= now)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                SourceName,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The token from source '{SourceName}' is unusable on arrival: it expires at {expiresOn:u}, {(expiresOn - now).TotalSeconds:0} s from now ({now:u}), but JwtSsoOptions.SafetyMargin requires more than {_safetyMargin.TotalSeconds:0} s left. Check the clocks of this host and of the identity provider and the token lifetime the provider issues, or lower SafetyMargin."));
        }

        if (token.ExpiresOn is null)
        {
            Log.TokenWithoutExpiry(_logger, SourceName, token.Fingerprint, _assumedLifetime);
        }

        var refreshAt = now + ((expiresOn - now) * _refreshFraction);
        if (token.RefreshOn is { } hint && hint > now && hint < refreshAt)
        {
            refreshAt = hint;
        }

        if (refreshAt > usableUntil)
        {
            // A lifetime barely above the margin: refresh within the usable part so callers never have to wait.
            refreshAt = now + ((usableUntil - now) * _refreshFraction);
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

        Log.TokenFetched(_logger, SourceName, state.ExpiresOn, state.Token.Fingerprint, state.RefreshAt);
        tcs.TrySetResult(state.Token);
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
            var delay = _backoff.Next();
            serving = _state is { } state && now < state.UsableUntilTimestamp ? state : null;
            if (serving is not null)
            {
                // Try again before the current token runs out: at the latest half-way to its usable-until point.
                // (This may undercut MinRetryDelay; the rate limit still bounds the calls.)
                var halfLeft = ToSpan((serving.UsableUntilTimestamp - now) / 2);
                var floor = _minRetryDelay < MinCappedRetryDelay ? _minRetryDelay : MinCappedRetryDelay;
                delay = delay < halfLeft ? delay : halfLeft < floor ? floor : halfLeft;
            }
            else if (delay > _noTokenRetryCap)
            {
                // Nothing left to serve: every open fails until the next attempt, so keep attempts frequent (the rate
                // limit still bounds them) and recover within seconds of the identity provider coming back.
                delay = _noTokenRetryCap;
            }

            if (error.RetryAfter is { } retryAfter && retryAfter > delay)
            {
                delay = retryAfter;
            }

            var at = Math.Max(now + ToTimestamp(delay), _limiter.NextAvailable(now));
            Volatile.Write(ref _notBefore, at);
            retryAt = ToUtc(at, now);
            _nextAttemptAt = retryAt;
            _lastFailure = error;
            failures = ++_failures;
            ScheduleLocked(at, now);
        }

        Log.RefreshFailed(_logger, SourceName, failures, error.Message, retryAt, error);
        if (serving is not null)
        {
            Log.ServingStaleToken(_logger, SourceName, serving.Token.Fingerprint, serving.UsableUntil);
        }

        Fault(tcs, error);
    }
}
