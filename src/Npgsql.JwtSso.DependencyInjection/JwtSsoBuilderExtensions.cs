using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.DependencyInjection.Internal;

namespace Npgsql.JwtSso;

/// <summary>Configures a JWT single sign-on instance registered with <see cref="JwtSsoServiceCollectionExtensions.AddNpgsqlJwtSso(IServiceCollection)"/>.</summary>
public static class JwtSsoBuilderExtensions
{
    /// <summary>Configures the refresh and wiring options of the instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder Configure(this IJwtSsoBuilder builder, Action<JwtSsoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<JwtSsoOptions>(builder.Name).Configure(configure);
        return builder;
    }

    /// <summary>Configures the refresh and wiring options of the instance, with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder Configure(this IJwtSsoBuilder builder, Action<JwtSsoOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<JwtSsoOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return builder;
    }

    /// <summary>
    /// Binds the instance from configuration: refresh and wiring options at the top level, <c>Startup</c> for start-up
    /// behaviour, and, when a <c>Provider</c> key is present, the token source from the sub-section of that name.
    /// Binding is strict: a misspelt key fails when the host starts, naming the key.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("JwtSso")</c>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder Configure(this IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add it to appsettings.json (or the environment) or configure the instance in code.", nameof(section));
        }

        var name = builder.Name;
        builder.Services.AddOptions<JwtSsoOptions>(name).Configure(o => JwtSsoConfigurationBinder.BindOptions(section, o));
        builder.Services.AddOptions<JwtSsoStartupOptions>(name).Configure(o => JwtSsoConfigurationBinder.BindStartup(section, o));
        if (section["Provider"] is { Length: > 0 } provider)
        {
            builder.AddTokenSource(sp => JwtSsoConfigurationBinder.CreateSource(provider, section, sp));
        }

        return builder;
    }

    /// <summary>Configures what the instance does when the host starts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the start-up options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder ConfigureStartup(this IJwtSsoBuilder builder, Action<JwtSsoStartupOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<JwtSsoStartupOptions>(builder.Name).Configure(configure);
        return builder;
    }

    /// <summary>Uses the token source created by <paramref name="factory"/> (once, as a singleton).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Creates the source from the application's services.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already has a token source.</exception>
    public static IJwtSsoBuilder AddTokenSource(this IJwtSsoBuilder builder, Func<IServiceProvider, JwtTokenSource> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);

        // Two sources for one instance would silently resolve to the last one registered.
        if (builder.Services.Any(d => d.ServiceType == typeof(JwtTokenSource) && d.IsKeyedService && Equals(d.ServiceKey, builder.Name)))
        {
            throw new InvalidOperationException(
                $"The JWT SSO instance '{JwtSsoServiceCollectionExtensions.DisplayName(builder.Name)}' already has a token source (from code, or from the 'Provider' key of its configuration section). Choose one, or register a second instance with AddNpgsqlJwtSso(\"<name>\").");
        }

        builder.Services.AddKeyedSingleton<JwtTokenSource>(builder.Name, (sp, _) => factory(sp));
        return builder;
    }

    /// <summary>Uses the given token source.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddTokenSource(this IJwtSsoBuilder builder, JwtTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return builder.AddTokenSource(_ => source);
    }
}
