using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Npgsql.JwtSso;

/// <summary>
/// Holds the current token of one <see cref="JwtTokenSource"/> and keeps it fresh: served from memory, refreshed
/// before it expires, single-flight, with backoff and a rate limit on failures. One cache per source; share it
/// between data sources that use the same identity.
/// </summary>
public sealed class JwtTokenCache : IAsyncDisposable, IDisposable
{
    // TEMPORARY naive implementation: replaced by the refresh engine (Internal/).
    private readonly JwtSsoOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private JwtToken? _current;
    private Task<JwtToken>? _inflight;

    /// <summary>Initializes a new instance of the <see cref="JwtTokenCache"/> class.</summary>
    /// <param name="source">The token source.</param>
    /// <param name="options">Refresh options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public JwtTokenCache(JwtTokenSource source, JwtSsoOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        _options = options ?? new JwtSsoOptions();
        _time = timeProvider ?? TimeProvider.System;
        _ = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>Gets the token source this cache serves.</summary>
    public JwtTokenSource Source { get; }

    /// <summary>Gets the options this cache runs with.</summary>
    public JwtSsoOptions Options => _options;

    /// <summary>
    /// The hot path: returns the cached token if it has more than <see cref="JwtSsoOptions.SafetyMargin"/> left.
    /// Never calls the source, never blocks, never allocates.
    /// </summary>
    /// <param name="token">The usable token.</param>
    /// <returns><see langword="true"/> when a usable token is cached.</returns>
    public bool TryGetToken([NotNullWhen(true)] out JwtToken? token)
    {
        token = _current;
        return token is not null && (token.ExpiresOn is not { } exp || exp - _options.SafetyMargin > _time.GetUtcNow());
    }

    /// <summary>Returns a usable token, fetching one (single-flight, bounded by <see cref="JwtSsoOptions.AcquireTimeout"/>) when none is cached.</summary>
    /// <param name="cancellationToken">Cancels the wait (not a fetch other callers share).</param>
    /// <returns>A token with more than the safety margin left.</returns>
    /// <exception cref="JwtSsoException">No usable token could be obtained; <see cref="JwtSsoException.Kind"/> says why.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (TryGetToken(out var token))
        {
            return token;
        }

        Task<JwtToken> task;
        lock (_gate)
        {
            task = _inflight ??= FetchAsync();
        }

        return await task.WaitAsync(_options.AcquireTimeout, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The synchronous twin of <see cref="GetTokenAsync"/> for <c>NpgsqlConnection.Open()</c>: served from the cache; a miss waits safely (no synchronization-context deadlock) within the same timeout.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A usable token.</returns>
    /// <exception cref="JwtSsoException">No usable token could be obtained.</exception>
    public JwtToken GetToken(CancellationToken cancellationToken = default)
        => TryGetToken(out var token) ? token : Task.Run(() => GetTokenAsync(cancellationToken).AsTask(), cancellationToken).GetAwaiter().GetResult();

    /// <summary>Drops the cached token (for example after the cluster rejected it) so the next caller fetches a fresh one.</summary>
    /// <param name="rejected">The token that was rejected; when given, the cache is only cleared if it still holds this token.</param>
    public void Invalidate(JwtToken? rejected = null)
    {
        lock (_gate)
        {
            if (rejected is null || ReferenceEquals(rejected, _current) || rejected.Value == _current?.Value)
            {
                _current = null;
            }
        }
    }

    /// <summary>Gets a snapshot of the cache's state; never contains token text.</summary>
    /// <returns>The status.</returns>
    public JwtTokenCacheStatus GetStatus()
    {
        var current = _current;
        return new JwtTokenCacheStatus(Source.Name, TryGetToken(out _), current?.ExpiresOn, null, null, null, 0, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<JwtToken> FetchAsync()
    {
        try
        {
            var token = await Source.GetTokenAsync(CancellationToken.None).ConfigureAwait(false);
            _current = token;
            return token;
        }
        finally
        {
            lock (_gate)
            {
                _inflight = null;
            }
        }
    }
}
