namespace Npgsql.JwtSso.Redis;

/// <summary>
/// Options of the shared token cache on Redis: where Redis is, which identity the cached token belongs to, and how long
/// an instance may wait on Redis or on another instance's fetch.
/// </summary>
/// <remarks>
/// The cache entry's key is derived from the source's identity (source type and name, <see cref="Issuer"/>,
/// <see cref="Audience"/>, <see cref="ClientId"/>, <see cref="Scope"/>, <see cref="Endpoint"/> and
/// <see cref="PartitionName"/>), hashed; never from the token. Instances share an entry only when all of these agree.
/// </remarks>
public sealed class RedisTokenCacheOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string (for example <c>redis.internal:6379,ssl=true,password=…</c>).
    /// When <see langword="null"/>, the <c>IConnectionMultiplexer</c> registered in the service collection is used.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Configuration { get; set; }

    /// <summary>Gets or sets the prefix of every Redis key this cache writes.</summary>
    /// <value>The default value is <c>jwtsso:</c>.</value>
    public string KeyPrefix { get; set; } = "jwtsso:";

    /// <summary>
    /// Gets or sets the issuer (<c>iss</c>) the cached tokens must carry: part of the cache key, and checked on every entry
    /// read from Redis and every token written to it. Required.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Issuer { get; set; }

    /// <summary>
    /// Gets or sets the audience (<c>aud</c>) the cached tokens must carry (the cluster's <c>server.jwt_authentication.audience</c>):
    /// part of the cache key, and checked on every entry read from Redis and every token written to it. Required.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the client id (or service account) the source authenticates as; part of the cache key.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the scope the source requests; part of the cache key.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Scope { get; set; }

    /// <summary>Gets or sets the token endpoint the source calls; part of the cache key.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets an optional partition name, to keep groups of instances with the same identity apart (for example per region).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PartitionName { get; set; }

    /// <summary>
    /// Gets or sets the longest an instance waits on one Redis operation. A slower or failed operation makes the instance
    /// fetch from the identity provider by itself (logged as a warning, counted, and reported by the health check).
    /// </summary>
    /// <value>The default value is 250 milliseconds; at least 1 millisecond and at most 10 seconds.</value>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets how long the fetch lease lasts: the instance holding it fetches while the others wait. A holder that
    /// crashes loses the lease after this time. Keep it above the identity provider's usual answer time.
    /// </summary>
    /// <value>The default value is 10 seconds; at least 100 milliseconds and at most 5 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long an instance that did not get the lease waits for the holder's token before fetching by itself.
    /// </summary>
    /// <value>The default value is 3 seconds; at most 5 minutes (zero fetches at once).</value>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets or sets how often a waiting instance looks for the holder's token.</summary>
    /// <value>The default value is 50 milliseconds; at least 1 millisecond and at most 10 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Gets or sets a value indicating whether tokens may be stored in Redis unencrypted. Tokens are encrypted with ASP.NET
    /// Core Data Protection by default; turning that off is for development only and logs a warning when the cache starts.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowUnencryptedTokens { get; set; }
}
