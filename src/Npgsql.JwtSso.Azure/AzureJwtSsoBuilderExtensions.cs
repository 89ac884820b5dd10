using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Azure.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// Chooses Microsoft Entra ID tokens (managed identity, workload identity, client secret or certificate) for a JWT
/// single sign-on instance registered with <c>AddNpgsqlJwtSso</c>. Calling an <c>AddAzure</c> method again for the
/// same instance adds to its options (the settings apply in order); choosing another source for it fails.
/// </summary>
public static class AzureJwtSsoBuilderExtensions
{
    /// <summary>Uses Microsoft Entra ID tokens, configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddAzure(this IJwtSsoBuilder builder, Action<AzureTokenSourceOptions> configure)
        => builder.AddTokenSource(AzureSource.Instance, configure);

    /// <summary>Uses Microsoft Entra ID tokens, configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddAzure(this IJwtSsoBuilder builder, Action<AzureTokenSourceOptions, IServiceProvider> configure)
        => builder.AddTokenSource(AzureSource.Instance, configure);

    /// <summary>Uses Microsoft Entra ID tokens, bound strictly from <paramref name="section"/> (an unknown key or a missing setting fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="AzureTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section does not exist or is empty.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddAzure(this IJwtSsoBuilder builder, IConfigurationSection section)
        => builder.AddTokenSource(AzureSource.Instance, section);

    /// <summary>Makes <c>"Provider": "Azure"</c> (settings in the <c>Azure</c> sub-section) available to the configuration of every instance.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddJwtSsoAzure(this IServiceCollection services)
        => services.AddJwtSsoTokenSource(AzureSource.Instance);
}
