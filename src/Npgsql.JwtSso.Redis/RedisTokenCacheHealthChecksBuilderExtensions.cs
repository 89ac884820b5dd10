using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Redis;
using Npgsql.JwtSso.Redis.Internal;

namespace Npgsql.JwtSso;

/// <summary>Adds a health check for the shared token cache on Redis.</summary>
public static class RedisTokenCacheHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check for the Redis token cache of a JWT SSO instance: healthy while Redis answers, degraded while the
    /// instance fetches by itself because Redis failed or was too slow. Tokens keep flowing either way.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="instanceName">The JWT SSO instance name; the default instance when omitted.</param>
    /// <param name="name">The health check name; <c>jwtsso-redis</c> (or <c>jwtsso-redis-&lt;instance&gt;</c>) when omitted.</param>
    /// <param name="tags">Tags for filtering health checks.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddJwtSsoRedisTokenCache(this IHealthChecksBuilder builder, string? instanceName = null, string? name = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var instance = instanceName ?? Options.DefaultName;
        return builder.Add(new HealthCheckRegistration(
            name ?? (instance.Length == 0 ? "jwtsso-redis" : $"jwtsso-redis-{instance}"),
            sp => new RedisTokenCacheHealthCheck(sp.GetRequiredKeyedService<RedisTokenCacheSource>(instance)),
            HealthStatus.Degraded,
            tags));
    }
}
