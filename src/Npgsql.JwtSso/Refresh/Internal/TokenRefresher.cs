using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// The refresh engine behind <see cref="JwtTokenCache"/>: one per source. Readers take an immutable
/// <see cref="TokenState"/> from a volatile field; everything that changes state happens under <see cref="_gate"/>,
/// and no task is completed, no source called and nothing logged while holding it.
/// </summary>
internal sealed partial class TokenRefresher : IDisposable
{
    // The timer never sleeps longer than this: on waking early it compares the wall clock with the token's usable-until
    // time (a suspend/resume or an NTP step moves the wall clock but not the monotonic one) and re-arms.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMinutes(1);

    // The coarse clock ticks every few milliseconds; deadlines on it are set this much early so it is never late.
    private const long CoarseClockSlackMilliseconds = 20;

    private readonly JwtTokenSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _frequency;
    private readonly double _refreshFraction;
    private readonly double _refreshJitter;
    private readonly Func<double> _jitterRandom;
    private readonly TimeSpan _safetyMargin;
    private readonly TimeSpan _assumedLifetime;
    private readonly TimeSpan _acquireTimeout;
    private readonly TimeSpan _sourceTimeout;
    private readonly TimeSpan _minRetryDelay;
    private readonly TimeSpan _maxRetryDelay;
    private readonly bool _lazy;
    private readonly bool _systemClock;
    private readonly TimeSpan _noTokenRetryCap;
    private readonly object _gate = new();
    private readonly RateLimitBucket _limiter;
    private readonly BackoffPolicy _backoff;
    private readonly ITimer? _timer;
    [SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Cancelled on dispose; fetches still running may read its token afterwards.")]
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly JwtSsoMetrics _metrics;

    private volatile TokenState? _state;
    private volatile TaskCompletionSource<JwtToken>? _inflight;
    private long _notBefore;
    private long _hits;
    private DateTimeOffset? _nextAttemptAt;
    private DateTimeOffset? _lastRefreshed;
    private JwtSsoException? _lastFailure;
    private int _failures;
    private bool _disposed;
    private int _marginAdaptedLogged;
    private volatile Task? _clockWait;

    public TokenRefresher(JwtTokenSource source, JwtTokenCacheOptions options, TimeProvider time, ILogger logger, JwtSsoMetrics metrics, Func<double>? jitterRandom = null)
    {
        CheckOptions(options);
        _metrics = metrics;
        _source = source;
        _time = time;
        _logger = logger;
        SourceName = source.Name;
        _frequency = time.TimestampFrequency;
        _refreshFraction = options.RefreshAt;
        _refreshJitter = options.RefreshJitter;
        _jitterRandom = jitterRandom ?? Random.Shared.NextDouble;
        _safetyMargin = options.SafetyMargin;
        _assumedLifetime = options.AssumedLifetime;
        _acquireTimeout = options.AcquireTimeout;
        _sourceTimeout = options.SourceTimeout;
        _minRetryDelay = options.MinRetryDelay;
        _maxRetryDelay = options.MaxRetryDelay;
        _lazy = options.RefreshMode == JwtSsoRefreshMode.Lazy;
        _systemClock = ReferenceEquals(time, TimeProvider.System);
        // Without a usable token, retries are capped at the rate limit's pace (10 s by default); with the limit off,
        // the plain backoff applies so nothing else bounds the calls.
        _noTokenRetryCap = options.RateLimitWindow > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Max(options.MinRetryDelay.Ticks, (options.RateLimitWindow / options.RateLimitBurst).Ticks))
            : TimeSpan.MaxValue;
        _limiter = new RateLimitBucket(options.RateLimitBurst, ToTimestamp(options.RateLimitWindow), time.GetTimestamp());
        _backoff = new BackoffPolicy(options.MinRetryDelay, options.MaxRetryDelay);
        if (!_lazy)
        {
            // A weak reference: a pending timer must not keep an abandoned cache (and its telemetry) alive.
            _timer = time.CreateTimer(OnTimer, new WeakReference<TokenRefresher>(this), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _metrics.Register(this);
    }

    public string SourceName { get; }

    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Gets the fetch in progress, if any (tests await it instead of sleeping).</summary>
    internal Task<JwtToken>? PendingFetch => _inflight?.Task;

    /// <summary>Gets a value indicating whether the fetch in progress waits for the clock (its retry time or a permit); tests then advance the clock.</summary>
    internal bool IsWaitingForClock => _clockWait is { IsCompleted: false };

    /// <summary>The hot path: one volatile read, one clock read, one comparison; no lock, no allocation.</summary>
    /// <remarks>
    /// With <see cref="TimeProvider.System"/> the clock read is <see cref="Environment.TickCount64"/> against a deadline
    /// precomputed (slightly early) from the same <see cref="TimeProvider"/> at fetch time; any other provider (a fake
    /// clock in tests) is read through <see cref="TimeProvider.GetTimestamp"/>. Past the refresh point every check uses
    /// the provider's precise timestamps.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetCurrent([NotNullWhen(true)] out JwtToken? token)
    {
        var state = _state;
        if (state is not null)
        {
            if (_systemClock ? Environment.TickCount64 < state.RefreshDueTick : _time.GetTimestamp() < state.RefreshDueTimestamp)
            {
                Interlocked.Increment(ref _hits);
                token = state.Token;
                return true;
            }

            return TryGetPastRefreshPoint(state, _time.GetTimestamp(), out token);
        }

        token = null;
        CountMiss();
        return false;
    }

    /// <summary>The slow path, after a lookup missed (or to force a refresh): join or start a fetch and wait for it.</summary>
    /// <remarks>
    /// A failed attempt is shared by every caller that waited for it, so its exception is never rethrown as such (each
    /// await would append frames to the one object): every caller gets its own small <see cref="JwtSsoException"/>
    /// carrying the one real cause, whose stack was captured once.
    /// </remarks>
    public async ValueTask<JwtToken> AcquireAsync(bool force, CancellationToken cancellationToken)
    {
        var fetch = GetOrStartFetch(force);
        var wait = fetch.WaitAsync(_acquireTimeout, _time, cancellationToken);
        await ((Task)wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (wait.IsCompletedSuccessfully)
        {
            return wait.Result;
        }

        switch (wait.Exception?.InnerException)
        {
            case JwtSsoException cause:
                throw ForCaller(cause);
            case ObjectDisposedException:
                throw Disposed();
            case TimeoutException timedOut:
                var last = Volatile.Read(ref _lastFailure);
                var hint = last is null ? "The source did not answer in time; check that its identity provider is reachable." : $"The last attempt failed: {last.Message}";
                throw new JwtSsoException(
                    JwtSsoErrorKind.Timeout,
                    SourceName,
                    $"No token from source '{SourceName}' within JwtTokenCacheOptions.AcquireTimeout ({_acquireTimeout}). {hint}",
                    timedOut)
                {
                    IsTransient = true,
                };
            default:
                // Cancelled by the caller (a fresh exception per await), or a fault that is not shared.
                return await wait.ConfigureAwait(false);
        }
    }

    public void Invalidate(JwtToken? rejected)
    {
        TokenState? dropped;
        lock (_gate)
        {
            dropped = _state;
            if (_disposed || dropped is null || (rejected is not null && !IsSameToken(rejected, dropped.Token)))
            {
                return;
            }

            _state = null;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        Report(log => Log.TokenInvalidated(log, SourceName, dropped.Token.Fingerprint));
    }

    public JwtTokenCacheStatus GetStatus()
    {
        lock (_gate)
        {
            var state = _state;
            var usable = state is not null && IsUsable(state, _time.GetTimestamp());
            return new JwtTokenCacheStatus
            {
                SourceName = SourceName,
                HasUsableToken = usable,
                ExpiresOn = state?.ExpiresOn,
                NextRefreshAt = state?.RefreshAt,
                LastRefreshed = _lastRefreshed,
                LastError = _lastFailure?.Message,
                ConsecutiveFailures = _failures,
                NextRetryAt = _nextAttemptAt,
            };
        }
    }

    /// <summary>Gets how long the cached token has until its (possibly assumed) expiry, for the gauge.</summary>
    public TimeSpan? TimeToExpiry() => _state is { } state ? state.ExpiresOn - _time.GetUtcNow() : null;

    public void Dispose()
    {
        TaskCompletionSource<JwtToken>? inflight;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _state = null;
            inflight = _inflight;
            _inflight = null;
        }

        _timer?.Dispose();
        _disposeCts.Cancel();
        if (inflight is not null)
        {
            Fault(inflight, Disposed());
        }

        _metrics.Unregister(this);
    }

    private static void OnTimer(object? state)
    {
        if (state is WeakReference<TokenRefresher> weak && weak.TryGetTarget(out var refresher))
        {
            refresher.StartBackgroundRefresh();
        }
    }

    private static bool IsSameToken(JwtToken a, JwtToken b)
        => ReferenceEquals(a, b) || string.Equals(a.Value, b.Value, StringComparison.Ordinal);

    private static void Fault(TaskCompletionSource<JwtToken> tcs, Exception error)
    {
        tcs.TrySetException(error);
        _ = tcs.Task.Exception; // observed: a background refresh may fail with nobody waiting
    }

    private static ObjectDisposedException Disposed() => new(nameof(JwtTokenCache));

    private bool TryGetPastRefreshPoint(TokenState state, long now, [NotNullWhen(true)] out JwtToken? token)
    {
        if (!IsUsable(state, now))
        {
            token = null;
            CountMiss();
            return false;
        }

        Interlocked.Increment(ref _hits);
        token = state.Token;
        if (_inflight is null && now >= Volatile.Read(ref _notBefore))
        {
            // Lazy mode's refresh trigger, and the background timer's safety net when the host starves timers.
            StartBackgroundRefresh();
        }

        return true;
    }

    private void CountMiss() => _metrics.CacheMisses.Add(1, JwtSsoTelemetry.Source(SourceName));

    private void StartBackgroundRefresh()
    {
        lock (_gate)
        {
            if (_disposed || _inflight is not null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            DropIfWallClockPassed(now);
            var due = Math.Max(_state?.RefreshDueTimestamp ?? now, Volatile.Read(ref _notBefore));
            if (now < due)
            {
                ScheduleLocked(due, now);
                return;
            }

            _ = StartFetchLocked(now);
        }
    }

    private Task<JwtToken> GetOrStartFetch(bool force)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(JwtTokenCache));
            var now = _time.GetTimestamp();
            DropIfWallClockPassed(now);
            var state = _state;
            if (!force && state is not null && IsUsable(state, now))
            {
                return Task.FromResult(state.Token);
            }

            if (_inflight is { } running)
            {
                return running.Task;
            }

            var notBefore = Volatile.Read(ref _notBefore);
            if (_lastFailure is { } failure && now < notBefore
                && (!failure.IsTransient || ToSpan(notBefore - now) > _acquireTimeout))
            {
                // A failure that waiting cannot fix (or whose retry is beyond the acquire timeout) is reused until the
                // backoff ends; the first caller after it tries again.
                return Task.FromException<JwtToken>(failure);
            }

            // Otherwise start the next attempt now: it waits for its retry time and a permit, and callers await it
            // (bounded by AcquireTimeout) instead of failing on a failure seconds old.
            return StartFetchLocked(now);
        }
    }

    /// <summary>Whether the token may still be handed out by both clocks: the monotonic one and the wall clock.</summary>
    private bool IsUsable(TokenState state, long now) => now < state.UsableUntilTimestamp && _time.GetUtcNow() < state.UsableUntil;

    /// <summary>After a wall-clock jump (suspend/resume, NTP step) past the usable-until time, the monotonic deadlines lie: drop the token.</summary>
    private void DropIfWallClockPassed(long now)
    {
        if (_state is { } state && now < state.UsableUntilTimestamp && _time.GetUtcNow() >= state.UsableUntil)
        {
            _state = null;
        }
    }

    private JwtSsoException ForCaller(JwtSsoException cause) => new(cause.Kind, cause.SourceName, cause.Message, cause.InnerException ?? cause)
    {
        IsTransient = cause.IsTransient,
        RetryAfter = cause.RetryAfter,
    };

    private Task<JwtToken> StartFetchLocked(long now)
    {
        var tcs = new TaskCompletionSource<JwtToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inflight = tcs;
        var startAt = Math.Max(_limiter.NextAvailable(now), Volatile.Read(ref _notBefore));
        if (startAt > now)
        {
            _nextAttemptAt = ToUtc(startAt, now);
        }

        // Never run the source on the caller's thread: not under a lock, not under a caller's SynchronizationContext
        // (the sync GetToken blocks on this), and not inline on the hot path in lazy mode.
        _ = Task.Run(() => RunFetchAsync(tcs));
        return tcs.Task;
    }

    private void ScheduleLocked(long due, long now)
    {
        if (_timer is null || _disposed)
        {
            return;
        }

        var delay = ToSpan(due - now);
        _timer.Change(delay > MaxTimerDue ? MaxTimerDue : delay, Timeout.InfiniteTimeSpan);
    }

    private long ToTimestamp(TimeSpan span)
        => span <= TimeSpan.Zero ? 0 : (long)Math.Min(span.Ticks * (_frequency / (double)TimeSpan.TicksPerSecond), long.MaxValue / 4);

    private TimeSpan ToSpan(long timestamps)
        => timestamps <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Min(timestamps * (TimeSpan.TicksPerSecond / (double)_frequency), TimeSpan.MaxValue.Ticks / 4));

    private DateTimeOffset ToUtc(long timestamp, long now) => _time.GetUtcNow() + ToSpan(timestamp - now);
}
