using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.DependencyInjection.Internal;

namespace Npgsql.JwtSso;

/// <summary>Adds JWT freshness health checks (separate from database reachability).</summary>
public static class JwtSsoHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check for a JWT SSO instance: healthy while a fresh token is cached, degraded while the current token
    /// is still served but refreshes fail, <paramref name="failureStatus"/> when no usable token exists.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="instanceName">The JWT SSO instance name; the default instance when omitted.</param>
    /// <param name="name">The health check name; <c>jwtsso</c> (or <c>jwtsso-&lt;instance&gt;</c>) when omitted.</param>
    /// <param name="failureStatus">The status reported without a usable token; <see cref="HealthStatus.Unhealthy"/> when omitted.</param>
    /// <param name="tags">Tags for filtering health checks.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddJwtSso(
        this IHealthChecksBuilder builder,
        string? instanceName = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var instance = instanceName ?? Options.DefaultName;
        return builder.Add(new HealthCheckRegistration(
            name ?? (instance.Length == 0 ? "jwtsso" : $"jwtsso-{instance}"),
            sp => new JwtSsoHealthCheck(sp.GetRequiredKeyedService<JwtTokenCache>(instance), sp.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus,
            tags));
    }
}
