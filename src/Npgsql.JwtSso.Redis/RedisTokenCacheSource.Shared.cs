using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Redis.Internal;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Redis;

/// <summary>Reading, checking and writing the shared entry; every Redis call bounded by OperationTimeout.</summary>
public sealed partial class RedisTokenCacheSource
{
    // Deletes a key only if it still holds the value this instance saw (its own lease, or the bad entry it read).
    private const string CompareAndDeleteScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

    private int _degraded;
    private string? _lastError;
    private int _activeCalls;
    private int _clockWaits;
    private int _redisCalls;
    private int _mismatchLogged;

    /// <summary>Gets the number of fetches in progress (the fleet simulation settles on it).</summary>
    internal int ActiveCalls => Volatile.Read(ref _activeCalls);

    /// <summary>Gets the number of fetches waiting for the clock (poll interval), which only an advancing clock moves on.</summary>
    internal int ClockWaits => Volatile.Read(ref _clockWaits);

    /// <summary>Gets the number of Redis operations in progress.</summary>
    internal int RedisCalls => Volatile.Read(ref _redisCalls);

    internal CacheKey Key => _key;

    private async ValueTask<SharedRead> ReadSharedAsync(CancellationToken cancellationToken)
    {
        var read = await CallAsync("get", db => db.StringGetAsync(_key.Token), cancellationToken).ConfigureAwait(false);
        if (!read.Ok)
        {
            return SharedRead.RedisFailed;
        }

        if (read.Value.IsNull)
        {
            RedisCacheTelemetry.Lookups.Add(1, _sourceTag, Outcome("miss"));
            return SharedRead.None;
        }

        var entry = (byte[])read.Value!;
        if (!TryCheck(entry, out var token, out var rejection))
        {
            RedisCacheTelemetry.Lookups.Add(1, _sourceTag, Outcome("rejected"));
            RedisCacheTelemetry.Rejected.Add(1, _sourceTag, new KeyValuePair<string, object?>(RedisCacheTelemetry.ReasonTag, rejection.Code));
            Report(log => Log.EntryRejected(log, Name, rejection.Text));
            await CallAsync("drop", db => db.ScriptEvaluateAsync(CompareAndDeleteScript, [_key.Token], [read.Value]), cancellationToken).ConfigureAwait(false);
            return SharedRead.None;
        }

        if (token is null)
        {
            RedisCacheTelemetry.Lookups.Add(1, _sourceTag, Outcome("stale"));
            return SharedRead.None;
        }

        RedisCacheTelemetry.Lookups.Add(1, _sourceTag, Outcome("hit"));
        Report(log => Log.TokenShared(log, Name, token.Fingerprint, token.RefreshOn!.Value));
        return new SharedRead(token, false);
    }

    /// <summary>
    /// Checks an entry. True with a token: usable and fresh for this instance, returned with its refresh point as the
    /// hint. True without a token: valid but stale for this instance (left for others). False: bad, to be dropped.
    /// </summary>
    private bool TryCheck(byte[] entry, out JwtToken? token, out Rejection rejection)
    {
        token = null;
        if (!_codec.TryDecode(entry, out var text, out var fetchedAt, out var hint, out var why))
        {
            rejection = new Rejection(why.StartsWith("the entry cannot be decrypted", StringComparison.Ordinal) ? "decrypt" : "format", why);
            return false;
        }

        if (!JwtToken.TryParse(text, out var parsed))
        {
            rejection = new Rejection("parse", "the entry holds no well-formed JWT");
            return false;
        }

        var now = _time.GetUtcNow();
        if (parsed.ExpiresOn is not { } expiresOn || expiresOn - _safetyMargin <= now)
        {
            rejection = new Rejection("expired", string.Create(CultureInfo.InvariantCulture, $"its token (fingerprint {parsed.Fingerprint}) has no 'exp' or less than JwtTokenCacheOptions.SafetyMargin left"));
            return false;
        }

        if (IdentityMismatch(parsed) is { } mismatch)
        {
            rejection = new Rejection("identity", $"its token (fingerprint {parsed.Fingerprint}) {mismatch}");
            return false;
        }

        rejection = default;
        if (fetchedAt > now || fetchedAt >= expiresOn)
        {
            fetchedAt = now; // a writer's clock ahead of ours: measure from now
        }

        var refreshPoint = fetchedAt + ((expiresOn - fetchedAt) * _refreshAt);
        if (hint is { } h && h < refreshPoint && h > fetchedAt)
        {
            refreshPoint = h;
        }

        // Stale from the earliest point this instance's jittered timer can fire: whoever fires first in that window
        // fetches, and the rest of the fleet finds that newer token instead of taking the old one again.
        var staleFrom = refreshPoint - ((refreshPoint - fetchedAt) * _refreshJitter);
        if (now < staleFrom)
        {
            token = parsed.WithRefreshOn(refreshPoint);
        }

        return true;
    }

    private string? IdentityMismatch(JwtToken token)
    {
        if (!string.Equals(token.Issuer, _issuer, StringComparison.Ordinal))
        {
            return $"has issuer '{token.Issuer}', not the configured '{_issuer}'";
        }

        return token.Audiences.Contains(_audience, StringComparer.Ordinal)
            ? null
            : $"has audience [{string.Join(", ", token.Audiences)}], not the configured '{_audience}'";
    }

    private async ValueTask WriteSharedAsync(JwtToken token, CancellationToken cancellationToken)
    {
        if (IdentityMismatch(token) is { } mismatch)
        {
            if (Interlocked.Exchange(ref _mismatchLogged, 1) == 0)
            {
                Report(log => Log.IdentityMismatch(log, Name, token.Fingerprint, $"it {mismatch}"));
            }

            return;
        }

        var now = _time.GetUtcNow();
        if (token.ExpiresOn is not { } expiresOn || expiresOn - now <= _safetyMargin)
        {
            return;
        }

        var entry = _codec.Encode(token, now);
        await CallAsync("set", db => db.StringSetAsync(_key.Token, entry, expiresOn - now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One Redis operation, bounded by OperationTimeout on the TimeProvider; failures are recorded, never thrown.</summary>
    private async ValueTask<(bool Ok, T Value)> CallAsync<T>(string operation, Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _redisCalls);
        using var timeout = new CancellationTokenSource(_operationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        Task<T>? pending = null;
        try
        {
            var redis = await _connection.WaitAsync(linked.Token).ConfigureAwait(false);
            pending = call(redis.GetDatabase());
            var value = await pending.WaitAsync(linked.Token).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _degraded, 0) != 0)
            {
                Report(log => Log.RedisRecovered(log, Name));
            }

            return (true, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var error = timeout.IsCancellationRequested
                ? string.Create(CultureInfo.InvariantCulture, $"no answer within RedisTokenCacheOptions.OperationTimeout ({_operationTimeout.TotalMilliseconds:0} ms)")
                : $"{ex.GetType().Name}: {ex.Message}";
            Volatile.Write(ref _lastError, $"{operation}: {error}");
            RedisCacheTelemetry.Errors.Add(1, _sourceTag, new KeyValuePair<string, object?>("jwtsso.operation", operation));
            if (Interlocked.Exchange(ref _degraded, 1) == 0)
            {
                Report(log => Log.RedisUnavailable(log, Name, operation, error));
            }

            return (false, default!);
        }
        finally
        {
            if (pending is { IsCompleted: false })
            {
                // Left behind by the timeout: observe its eventual failure (no unobserved task exception).
                _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            Interlocked.Decrement(ref _redisCalls);
        }
    }

    private readonly record struct SharedRead(JwtToken? Token, bool Failed)
    {
        public static readonly SharedRead None = new(null, false);
        public static readonly SharedRead RedisFailed = new(null, true);
    }

    private readonly record struct Rejection(string Code, string Text);
}
