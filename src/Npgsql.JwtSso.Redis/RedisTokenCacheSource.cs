using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql.JwtSso.Redis.Internal;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Redis;

/// <summary>
/// A token source that shares tokens through Redis: it wraps the real source, and when the refresh engine asks for a
/// token it first takes one another instance of the fleet fetched, fetching from the identity provider only when none is
/// fresh enough, under a short Redis lease so one instance fetches while the others wait.
/// </summary>
/// <remarks>
/// <para>
/// It sits behind the refresh engine (<see cref="JwtTokenCache"/>), on the fetch path only: opens still read the engine's
/// in-memory token, and Redis is consulted only when the engine refreshes. An entry is taken only while it is fresh for
/// this instance's own refresh point (<see cref="JwtTokenCacheOptions.RefreshAt"/> less <see cref="JwtTokenCacheOptions.RefreshJitter"/>),
/// and only after it decrypts, parses, is unexpired and carries the configured issuer and audience; a bad entry is
/// dropped and counted.
/// </para>
/// <para>
/// A Redis failure never fails a fetch: an operation slower than <see cref="RedisTokenCacheOptions.OperationTimeout"/> or
/// failing makes this instance fetch by itself (logged, counted in <c>jwtsso.redis.fallbacks</c>, reported as degraded)
/// until Redis answers again.
/// </para>
/// </remarks>
public sealed partial class RedisTokenCacheSource : JwtTokenSource
{
    internal const string DataProtectionPurpose = "Npgsql.JwtSso.Redis.TokenCache.v1";

    private readonly JwtTokenSource _inner;
    private readonly Task<IConnectionMultiplexer> _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CacheKey _key;
    private readonly TokenEntryCodec _codec;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly double _refreshAt;
    private readonly double _refreshJitter;
    private readonly TimeSpan _safetyMargin;
    private readonly TimeSpan _operationTimeout;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _leaseWait;
    private readonly TimeSpan _pollInterval;
    private readonly KeyValuePair<string, object?> _sourceTag;

    /// <summary>Initializes a new instance of the <see cref="RedisTokenCacheSource"/> class.</summary>
    /// <param name="inner">The real token source, called when no shared token is fresh enough.</param>
    /// <param name="redis">The Redis connection.</param>
    /// <param name="options">The shared cache's options; <see cref="RedisTokenCacheOptions.Issuer"/> and <see cref="RedisTokenCacheOptions.Audience"/> are required.</param>
    /// <param name="refreshOptions">The options of the <see cref="JwtTokenCache"/> this source is given to (its refresh point, jitter and safety margin decide which shared tokens are fresh enough); <see langword="null"/> for the defaults.</param>
    /// <param name="dataProtection">Encrypts the tokens in Redis; every instance must share its key ring. <see langword="null"/> only with <see cref="RedisTokenCacheOptions.AllowUnencryptedTokens"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/>, <paramref name="redis"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">An option cannot work (<see cref="JwtSsoErrorKind.Configuration"/>); the message names it.</exception>
    public RedisTokenCacheSource(
        JwtTokenSource inner,
        IConnectionMultiplexer redis,
        RedisTokenCacheOptions options,
        JwtTokenCacheOptions? refreshOptions = null,
        IDataProtectionProvider? dataProtection = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(inner, Task.FromResult(redis ?? throw new ArgumentNullException(nameof(redis))), options, refreshOptions, dataProtection, timeProvider, loggerFactory)
    {
    }

    internal RedisTokenCacheSource(
        JwtTokenSource inner,
        Task<IConnectionMultiplexer> connection,
        RedisTokenCacheOptions options,
        JwtTokenCacheOptions? refreshOptions,
        IDataProtectionProvider? dataProtection,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        RedisTokenCacheOptionsCheck.Check(options, dataProtection is not null);
        refreshOptions ??= new JwtTokenCacheOptions();
        _inner = inner;
        _connection = connection;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisTokenCacheSource>();
        _key = CacheKey.Create(inner, options);
        _codec = new TokenEntryCodec(dataProtection?.CreateProtector(DataProtectionPurpose, _key.Hash));
        _issuer = options.Issuer!;
        _audience = options.Audience!;
        _refreshAt = refreshOptions.RefreshAt;
        _refreshJitter = refreshOptions.RefreshJitter;
        _safetyMargin = refreshOptions.SafetyMargin;
        _operationTimeout = options.OperationTimeout;
        _leaseDuration = options.LeaseDuration;
        _leaseWait = options.LeaseWait;
        _pollInterval = options.PollInterval;
        _sourceTag = new KeyValuePair<string, object?>(RedisCacheTelemetry.SourceTag, inner.Name);
        if (dataProtection is null)
        {
            Report(log => Log.Unencrypted(log, Name));
        }
    }

    /// <summary>Gets the name of the wrapped source, so errors, logs and metrics keep naming the real source.</summary>
    public override string Name => _inner.Name;

    /// <summary>Gets the wrapped token source.</summary>
    public JwtTokenSource InnerSource => _inner;

    /// <summary>Gets a value indicating whether the last Redis operation failed, so this instance currently fetches by itself.</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) != 0;

    /// <summary>Gets the last Redis error (operation, exception type and message) while degraded; never token text.</summary>
    public string? LastRedisError => IsDegraded ? Volatile.Read(ref _lastError) : null;

    /// <inheritdoc />
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _activeCalls);
        try
        {
            var read = await ReadSharedAsync(cancellationToken).ConfigureAwait(false);
            if (read.Failed)
            {
                return await FetchAloneAsync(cancellationToken).ConfigureAwait(false);
            }

            return read.Token ?? await LeaseOrWaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _activeCalls);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (shared through Redis)";

    private async ValueTask<JwtToken> LeaseOrWaitAsync(CancellationToken cancellationToken)
    {
        var leaseId = Guid.NewGuid().ToString("N");
        var started = _time.GetTimestamp();
        while (true)
        {
            var lease = await CallAsync("lease", db => db.StringSetAsync(_key.Lease, leaseId, _leaseDuration, When.NotExists), cancellationToken).ConfigureAwait(false);
            if (!lease.Ok)
            {
                return await FetchAloneAsync(cancellationToken).ConfigureAwait(false);
            }

            if (lease.Value)
            {
                RedisCacheTelemetry.Leases.Add(1, _sourceTag, Outcome("acquired"));
                return await FetchAsHolderAsync(leaseId, cancellationToken).ConfigureAwait(false);
            }

            if (_time.GetElapsedTime(started) >= _leaseWait)
            {
                RedisCacheTelemetry.Leases.Add(1, _sourceTag, Outcome("timed_out"));
                Report(log => Log.LeaseWaitExpired(log, Name, _leaseWait));
                var token = await _inner.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                await WriteSharedAsync(token, cancellationToken).ConfigureAwait(false);
                return token;
            }

            Interlocked.Increment(ref _clockWaits);
            try
            {
                await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _clockWaits);
            }

            var read = await ReadSharedAsync(cancellationToken).ConfigureAwait(false);
            if (read.Failed)
            {
                return await FetchAloneAsync(cancellationToken).ConfigureAwait(false);
            }

            if (read.Token is { } shared)
            {
                RedisCacheTelemetry.Leases.Add(1, _sourceTag, Outcome("waited"));
                return shared;
            }
        }
    }

    private async ValueTask<JwtToken> FetchAsHolderAsync(string leaseId, CancellationToken cancellationToken)
    {
        try
        {
            var token = await _inner.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            await WriteSharedAsync(token, cancellationToken).ConfigureAwait(false);
            return token;
        }
        finally
        {
            // Released even when the fetch failed, so the next instance can try at once instead of after LeaseDuration.
            await CallAsync("release", db => db.ScriptEvaluateAsync(CompareAndDeleteScript, [_key.Lease], [leaseId]), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask<JwtToken> FetchAloneAsync(CancellationToken cancellationToken)
    {
        RedisCacheTelemetry.Fallbacks.Add(1, _sourceTag);
        return await _inner.GetTokenAsync(cancellationToken).ConfigureAwait(false);
    }

    private static KeyValuePair<string, object?> Outcome(string outcome) => new(RedisCacheTelemetry.OutcomeTag, outcome);

    private void Report(Action<ILogger> log)
    {
        try
        {
            log(_logger);
        }
        catch (Exception)
        {
            // A throwing logger must not change an outcome.
        }
    }
}
