using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// One kind of client-credentials source as DI and configuration see it: its provider name, its options type and how a
/// source is made from them (with the container's <see cref="TimeProvider"/>). The public extension methods and
/// <see cref="IJwtSsoProvider"/> classes of the generic source and of each preset are thin faces over one of these.
/// </summary>
internal sealed class SourceKind<TOptions>(string name, Func<TOptions, HttpClient?, TimeProvider?, JwtTokenSource> create) : ISourceKind
    where TOptions : class, new()
{
    public string Name => name;

    internal IJwtSsoBuilder Configure(IJwtSsoBuilder builder, Action<TOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(builder.Name).Configure(configure);
        return AddSource(builder);
    }

    internal IJwtSsoBuilder Configure(IJwtSsoBuilder builder, Action<TOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return AddSource(builder);
    }

    internal IJwtSsoBuilder Bind(IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add the {typeof(TOptions).Name} settings to appsettings.json (or the environment).", nameof(section));
        }

        builder.Services.AddOptions<TOptions>(builder.Name).Configure(o => JwtSsoConfiguration.Bind(section, o));
        return AddSource(builder);
    }

    /// <summary>Creates a source from the provider's configuration section (<c>"Provider": "…"</c>), bound strictly.</summary>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(services);
        return create(JwtSsoConfiguration.Bind(section, new TOptions()), null, services.GetService<TimeProvider>());
    }

    private IJwtSsoBuilder AddSource(IJwtSsoBuilder builder)
    {
        var instance = builder.Name;
        return builder.AddTokenSource(sp => create(sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(instance), null, sp.GetService<TimeProvider>()));
    }
}
