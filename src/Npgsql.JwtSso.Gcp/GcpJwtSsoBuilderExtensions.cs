using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Gcp;
using Npgsql.JwtSso.Gcp.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// Chooses Google Cloud ID tokens (metadata server, service-account key, impersonation) for a JWT single sign-on
/// instance registered with <c>AddNpgsqlJwtSso</c>. Calling an <c>AddGcp</c> method again for the same instance adds
/// to its options (the settings apply in order); choosing another source for it fails.
/// </summary>
public static class GcpJwtSsoBuilderExtensions
{
    /// <summary>Uses Google Cloud ID tokens, configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddGcp(this IJwtSsoBuilder builder, Action<GcpTokenSourceOptions> configure)
        => builder.AddTokenSource(GcpSource.Instance, configure);

    /// <summary>Uses Google Cloud ID tokens, configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddGcp(this IJwtSsoBuilder builder, Action<GcpTokenSourceOptions, IServiceProvider> configure)
        => builder.AddTokenSource(GcpSource.Instance, configure);

    /// <summary>Uses Google Cloud ID tokens, bound strictly from <paramref name="section"/> (an unknown key or a missing setting fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="GcpTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section does not exist or is empty.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddGcp(this IJwtSsoBuilder builder, IConfigurationSection section)
        => builder.AddTokenSource(GcpSource.Instance, section);

    /// <summary>Makes <c>"Provider": "Gcp"</c> (settings in the <c>Gcp</c> sub-section) available to the configuration of every instance.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddJwtSsoGcp(this IServiceCollection services)
        => services.AddJwtSsoTokenSource(GcpSource.Instance);
}
