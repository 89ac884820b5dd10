using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Gcp;

namespace Npgsql.JwtSso;

/// <summary>Chooses Google Cloud ID tokens (metadata server, service-account key, impersonation) for a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c>.</summary>
public static class GcpJwtSsoBuilderExtensions
{
    /// <summary>Uses Google Cloud ID tokens (metadata server, service-account key, impersonation), configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddGcp(this IJwtSsoBuilder builder, Action<GcpTokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<GcpTokenSourceOptions>(builder.Name).Configure(configure);
        return AddSource(builder);
    }

    /// <summary>Uses Google Cloud ID tokens (metadata server, service-account key, impersonation), configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddGcp(this IJwtSsoBuilder builder, Action<GcpTokenSourceOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<GcpTokenSourceOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return AddSource(builder);
    }

    /// <summary>Uses Google Cloud ID tokens (metadata server, service-account key, impersonation), bound strictly from <paramref name="section"/> (an unknown key fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="GcpTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder AddGcp(this IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add the GcpTokenSourceOptions settings to appsettings.json (or the environment).", nameof(section));
        }

        builder.Services.AddOptions<GcpTokenSourceOptions>(builder.Name).Configure(o => JwtSsoConfiguration.Bind(section, o));
        return AddSource(builder);
    }

    private static IJwtSsoBuilder AddSource(IJwtSsoBuilder builder)
    {
        var name = builder.Name;
        return builder.AddTokenSource(sp => GcpJwtSsoProvider.Create(sp.GetRequiredService<IOptionsMonitor<GcpTokenSourceOptions>>().Get(name), sp));
    }
}
