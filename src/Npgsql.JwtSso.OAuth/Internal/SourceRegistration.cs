using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// The DI and configuration plumbing shared by the client-credentials source and its presets: named options, strict
/// binding, and one source per JWT SSO instance, created with the container's <see cref="TimeProvider"/>.
/// </summary>
internal static class SourceRegistration
{
    internal static IJwtSsoBuilder Configure<TOptions>(IJwtSsoBuilder builder, Action<TOptions> configure, Func<TOptions, HttpClient?, TimeProvider?, JwtTokenSource> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(builder.Name).Configure(configure);
        return AddSource(builder, create);
    }

    internal static IJwtSsoBuilder Configure<TOptions>(IJwtSsoBuilder builder, Action<TOptions, IServiceProvider> configure, Func<TOptions, HttpClient?, TimeProvider?, JwtTokenSource> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return AddSource(builder, create);
    }

    internal static IJwtSsoBuilder Bind<TOptions>(IJwtSsoBuilder builder, IConfigurationSection section, Func<TOptions, HttpClient?, TimeProvider?, JwtTokenSource> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add the {typeof(TOptions).Name} settings to appsettings.json (or the environment).", nameof(section));
        }

        builder.Services.AddOptions<TOptions>(builder.Name).Configure(o => JwtSsoConfiguration.Bind(section, o));
        return AddSource(builder, create);
    }

    /// <summary>Creates a source from a provider's configuration section (<c>"Provider": "…"</c>), bound strictly onto <paramref name="options"/>.</summary>
    internal static JwtTokenSource Create<TOptions>(IConfigurationSection section, IServiceProvider services, TOptions options, Func<TOptions, HttpClient?, TimeProvider?, JwtTokenSource> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(services);
        return create(JwtSsoConfiguration.Bind(section, options), null, services.GetService<TimeProvider>());
    }

    private static IJwtSsoBuilder AddSource<TOptions>(IJwtSsoBuilder builder, Func<TOptions, HttpClient?, TimeProvider?, JwtTokenSource> create)
        where TOptions : class
    {
        var name = builder.Name;
        return builder.AddTokenSource(sp => create(sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name), null, sp.GetService<TimeProvider>()));
    }
}
