using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// Holds the current token of one <see cref="JwtTokenSource"/> and keeps it fresh: served from memory, refreshed
/// before it expires, single-flight, with backoff and a rate limit on failures. One cache per source; share it
/// between data sources that use the same identity.
/// </summary>
/// <remarks>
/// <para>
/// A token is refreshed at <see cref="JwtSsoOptions.RefreshAt"/> of its lifetime (or at the source's
/// <see cref="JwtToken.RefreshOn"/> hint when earlier) and never handed out with less than
/// <see cref="JwtSsoOptions.SafetyMargin"/> left. While a refresh runs or fails, callers keep getting the current
/// token; they only wait when no usable token is cached, and never longer than <see cref="JwtSsoOptions.AcquireTimeout"/>.
/// All source calls, whatever triggers them, share one rate limit (<see cref="JwtSsoOptions.RateLimitBurst"/> per
/// <see cref="JwtSsoOptions.RateLimitWindow"/>).
/// </para>
/// <para>
/// When the cluster rejects a token (SQLSTATE 28000 "JWT authentication: …"), call <see cref="Invalidate"/> with that
/// token and open once more: the retry fetches a fresh token through the same single-flight and rate limit, so
/// retrying once per rejected open is cheap and cannot hammer the identity provider. Retrying more than once is
/// pointless: a second rejection means configuration (issuer, audience, identity map), not an old token.
/// </para>
/// </remarks>
public sealed class JwtTokenCache : IAsyncDisposable, IDisposable
{
    private readonly TokenRefresher _refresher;

    /// <summary>Initializes a new instance of the <see cref="JwtTokenCache"/> class.</summary>
    /// <param name="source">The token source.</param>
    /// <param name="options">Refresh options; <see langword="null"/> for the defaults. The values are read once, here.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">An option value cannot work (<see cref="JwtSsoErrorKind.Configuration"/>); the message names it.</exception>
    public JwtTokenCache(JwtTokenSource source, JwtSsoOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        Options = options ?? new JwtSsoOptions();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<JwtTokenCache>();
        Time = timeProvider ?? TimeProvider.System;
        _refresher = new TokenRefresher(source, Options, Time, logger);
    }

    /// <summary>Gets the token source this cache serves.</summary>
    public JwtTokenSource Source { get; }

    /// <summary>Gets the options this cache runs with.</summary>
    public JwtSsoOptions Options { get; }

    /// <summary>Gets the clock this cache runs on (the wiring waits on it before re-sending a not-yet-valid token).</summary>
    internal TimeProvider Time { get; }

    /// <summary>Gets the refresh engine (tests await its pending fetch instead of sleeping).</summary>
    internal TokenRefresher Refresher => _refresher;

    /// <summary>
    /// The hot path: returns the cached token if it has more than <see cref="JwtSsoOptions.SafetyMargin"/> left.
    /// Never calls the source, never blocks, never allocates. Past the refresh point it starts a background refresh
    /// if none is running (this is how <see cref="JwtSsoRefreshMode.Lazy"/> refreshes).
    /// </summary>
    /// <param name="token">The usable token.</param>
    /// <returns><see langword="true"/> when a usable token is cached.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetToken([NotNullWhen(true)] out JwtToken? token) => _refresher.TryGetCurrent(out token);

    /// <summary>Returns a usable token, fetching one (single-flight, bounded by <see cref="JwtSsoOptions.AcquireTimeout"/>) when none is cached.</summary>
    /// <param name="cancellationToken">Cancels the wait (not a fetch other callers share).</param>
    /// <returns>A token with more than the safety margin left.</returns>
    /// <exception cref="JwtSsoException">No usable token could be obtained; <see cref="JwtSsoException.Kind"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken = default)
        => _refresher.TryGetCurrent(out var token) ? new ValueTask<JwtToken>(token) : _refresher.AcquireAsync(force: false, cancellationToken);

    /// <summary>The synchronous twin of <see cref="GetTokenAsync"/> for <c>NpgsqlConnection.Open()</c>: served from the cache; a miss waits safely (no synchronization-context deadlock) within the same timeout.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A usable token.</returns>
    /// <exception cref="JwtSsoException">No usable token could be obtained.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public JwtToken GetToken(CancellationToken cancellationToken = default)
    {
        if (_refresher.TryGetCurrent(out var token))
        {
            return token;
        }

        // Blocking is safe: the engine runs every source call on the thread pool and never resumes on the
        // caller's SynchronizationContext, so the context this thread holds is never needed.
        return _refresher.AcquireAsync(force: false, cancellationToken).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Fetches a new token now even if the cached one is still usable, joining a fetch already in progress. Subject to
    /// the rate limit (it waits for a permit, within <see cref="JwtSsoOptions.AcquireTimeout"/>) and to the backoff after
    /// a failure (it then fails with that failure).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the fetch).</param>
    /// <returns>The new token.</returns>
    /// <exception cref="JwtSsoException">No token could be obtained; <see cref="JwtSsoException.Kind"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public ValueTask<JwtToken> ForceRefreshAsync(CancellationToken cancellationToken = default)
        => _refresher.AcquireAsync(force: true, cancellationToken);

    /// <summary>
    /// Drops the cached token (for example after the cluster rejected it) so the next caller fetches a fresh one,
    /// subject to the rate limit. Cheap and safe to call from many failing opens at once.
    /// </summary>
    /// <param name="rejected">The token that was rejected; when given, the cache is only cleared if it still holds this
    /// token (so a rejection of an old token does not drop a newer one).</param>
    public void Invalidate(JwtToken? rejected = null) => _refresher.Invalidate(rejected);

    /// <summary>Gets a snapshot of the cache's state; never contains token text.</summary>
    /// <returns>The status.</returns>
    public JwtTokenCacheStatus GetStatus() => _refresher.GetStatus();

    /// <summary>Stops the refresh timer, cancels a fetch in progress and fails waiting callers with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _refresher.Dispose();

    /// <inheritdoc cref="Dispose" />
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _refresher.Dispose();
        return ValueTask.CompletedTask;
    }
}
