using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Reports token freshness and the last refresh error of one instance; never touches the database or the token text.</summary>
internal sealed class JwtSsoHealthCheck(JwtTokenCache cache, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = cache.GetStatus();
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>
        {
            ["source"] = status.SourceName,
            ["consecutive_failures"] = status.ConsecutiveFailures,
        };
        if (status.ExpiresOn is { } expiresOn)
        {
            data["expires_on"] = expiresOn.ToString("O", CultureInfo.InvariantCulture);
            data["seconds_to_expiry"] = Math.Round((expiresOn - now).TotalSeconds);
        }

        if (status.RefreshAt is { } refreshAt)
        {
            data["refresh_at"] = refreshAt.ToString("O", CultureInfo.InvariantCulture);
        }

        if (status.LastError is { } lastError)
        {
            data["last_error"] = lastError;
        }

        if (!status.HasUsableToken)
        {
            var why = status.LastError is null ? "no token has been obtained yet" : $"the last refresh failed: {status.LastError}";
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, $"No usable JWT from source '{status.SourceName}': {why}", data: data));
        }

        if (status.LastError is not null)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Serving the current JWT from source '{status.SourceName}' (expires {status.ExpiresOn:O}), but the last refresh failed: {status.LastError}",
                data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"JWT from source '{status.SourceName}' is fresh (expires {status.ExpiresOn:O}).", data));
    }
}
