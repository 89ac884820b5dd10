using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso;

/// <summary>Chooses Okta service-app tokens (client credentials) for a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c>.</summary>
public static class OktaJwtSsoBuilderExtensions
{
    /// <summary>Uses Okta service-app tokens (client credentials), configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddOkta(this IJwtSsoBuilder builder, Action<OktaTokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<OktaTokenSourceOptions>(builder.Name).Configure(configure);
        return AddSource(builder);
    }

    /// <summary>Uses Okta service-app tokens (client credentials), configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddOkta(this IJwtSsoBuilder builder, Action<OktaTokenSourceOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<OktaTokenSourceOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return AddSource(builder);
    }

    /// <summary>Uses Okta service-app tokens (client credentials), bound strictly from <paramref name="section"/> (an unknown key fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="OktaTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder AddOkta(this IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add the OktaTokenSourceOptions settings to appsettings.json (or the environment).", nameof(section));
        }

        builder.Services.AddOptions<OktaTokenSourceOptions>(builder.Name).Configure(o => JwtSsoConfiguration.Bind(section, o));
        return AddSource(builder);
    }

    private static IJwtSsoBuilder AddSource(IJwtSsoBuilder builder)
    {
        var name = builder.Name;
        return builder.AddTokenSource(sp => OktaJwtSsoProvider.Create(sp.GetRequiredService<IOptionsMonitor<OktaTokenSourceOptions>>().Get(name), sp));
    }
}
