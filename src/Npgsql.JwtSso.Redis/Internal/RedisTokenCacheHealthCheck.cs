using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>Degraded while the shared cache is bypassed because Redis fails; never touches Redis itself or the token text.</summary>
internal sealed class RedisTokenCacheHealthCheck(RedisTokenCacheSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["source"] = source.Name };
        if (source.LastRedisError is { } error)
        {
            data["last_error"] = error;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The shared token cache of source '{source.Name}' is bypassed: Redis failed ({error}). This instance fetches from the identity provider by itself until Redis answers again.",
                data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"The shared token cache of source '{source.Name}' is in use.", data));
    }
}
