using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Azure;

namespace Npgsql.JwtSso;

/// <summary>Chooses Microsoft Entra ID tokens (managed identity, workload identity, client secret or certificate) for a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c>.</summary>
public static class AzureJwtSsoBuilderExtensions
{
    /// <summary>Uses Microsoft Entra ID tokens (managed identity, workload identity, client secret or certificate), configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddAzure(this IJwtSsoBuilder builder, Action<AzureTokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AzureTokenSourceOptions>(builder.Name).Configure(configure);
        return AddSource(builder);
    }

    /// <summary>Uses Microsoft Entra ID tokens (managed identity, workload identity, client secret or certificate), configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddAzure(this IJwtSsoBuilder builder, Action<AzureTokenSourceOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AzureTokenSourceOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return AddSource(builder);
    }

    /// <summary>Uses Microsoft Entra ID tokens (managed identity, workload identity, client secret or certificate), bound strictly from <paramref name="section"/> (an unknown key fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="AzureTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder AddAzure(this IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add the AzureTokenSourceOptions settings to appsettings.json (or the environment).", nameof(section));
        }

        builder.Services.AddOptions<AzureTokenSourceOptions>(builder.Name).Configure(o => JwtSsoConfiguration.Bind(section, o));
        return AddSource(builder);
    }

    private static IJwtSsoBuilder AddSource(IJwtSsoBuilder builder)
    {
        var name = builder.Name;
        return builder.AddTokenSource(sp => AzureJwtSsoProvider.Create(sp.GetRequiredService<IOptionsMonitor<AzureTokenSourceOptions>>().Get(name), sp));
    }
}
