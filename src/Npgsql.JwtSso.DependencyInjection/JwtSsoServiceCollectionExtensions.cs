using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.DependencyInjection.Internal;
using Npgsql.JwtSso.DependencyInjection.Internal.Sources;

namespace Npgsql.JwtSso;

/// <summary>Registers JWT single sign-on instances in an <see cref="IServiceCollection"/>.</summary>
public static class JwtSsoServiceCollectionExtensions
{
    /// <summary>Registers the default JWT single sign-on instance.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to choose the token source and options, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddNpgsqlJwtSso(this IServiceCollection services)
        => AddNpgsqlJwtSso(services, Options.DefaultName);

    /// <summary>Registers a named JWT single sign-on instance (one per cluster identity).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The instance name, used again in <c>UseJwtSso(serviceProvider, name)</c>.</param>
    /// <returns>A builder to choose the token source and options, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddNpgsqlJwtSso(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtTokenCacheOptions>, JwtTokenCacheOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtSsoConnectionOptions>, JwtSsoConnectionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JwtSsoWarmUpService>());
        services.AddHttpClient();
        JwtSsoSources.Register(services, BuiltInSources.Static);
        JwtSsoSources.Register(services, BuiltInSources.File);
        JwtSsoSources.Register(services, BuiltInSources.Environment);
        JwtSsoSources.Register(services, BuiltInSources.Command);
        JwtSsoSources.Register(services, BuiltInSources.GitHubActions);

        if (!services.Any(d => d.ServiceType == typeof(JwtSsoInstance) && d.ImplementationInstance is JwtSsoInstance i && i.Name == name))
        {
            services.AddSingleton(new JwtSsoInstance(name));
            services.AddOptions<JwtTokenCacheOptions>(name).ValidateOnStart();
            services.AddOptions<JwtSsoConnectionOptions>(name).ValidateOnStart();
            services.AddOptions<JwtSsoStartupOptions>(name);
            services.AddKeyedSingleton(name, static (sp, key) => CreateCache(sp, (string)key!));
        }

        if (name.Length == 0)
        {
            // The default instance's cache is also the plain (unkeyed) JwtTokenCache: the same object (disposing it twice is harmless).
            services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<JwtTokenCache>(Options.DefaultName));
        }

        return new JwtSsoBuilder(services, name);
    }

    /// <summary>
    /// Registers the default JWT single sign-on instance from configuration: the token source named by the
    /// <c>Source</c> key with its options in the sub-section of the same name, the cache options
    /// (<see cref="JwtTokenCacheOptions"/>) and the default connection options (<see cref="JwtSsoConnectionOptions"/>) as
    /// flat keys at the top level, and start-up behaviour under <c>Startup</c>. Unknown keys fail when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("JwtSso")</c>.</param>
    /// <param name="name">The instance name; the default instance when omitted.</param>
    /// <returns>A builder for further configuration, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section does not exist or is empty (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    public static IJwtSsoBuilder AddNpgsqlJwtSso(this IServiceCollection services, IConfigurationSection section, string? name = null)
        => AddNpgsqlJwtSso(services, name ?? Options.DefaultName).Configure(section);

    /// <summary>
    /// Makes a token source available to every instance's configuration (<c>"Source": "&lt;Name&gt;"</c> with its
    /// settings in the sub-section of that name). Using a source in code registers it too. Idempotent.
    /// </summary>
    /// <typeparam name="TOptions">The source's options type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="descriptor">The source's descriptor.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Another source with the same name is registered.</exception>
    public static IServiceCollection AddJwtSsoTokenSource<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
        this IServiceCollection services, JwtTokenSourceDescriptor<TOptions> descriptor)
        where TOptions : class
    {
        JwtSsoSources.Register(services, descriptor);
        return services;
    }

    private static JwtTokenCache CreateCache(IServiceProvider services, string name)
    {
        var source = services.GetKeyedService<JwtTokenSource>(name)
            ?? throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"No token source is registered for the JWT SSO instance '{DisplayName(name)}'. Call AddGcp, AddAzure, AddOkta, AddTokenSource or another token-source method on the builder returned by AddNpgsqlJwtSso, or set the 'Source' key in its configuration section.");
        // The host's IMeterFactory (registered by the Generic Host and AddMetrics) scopes the meter to this container.
        var options = InstanceOptions.Cache(services, name);
        return new JwtTokenCache(source, options, services.GetRequiredService<TimeProvider>(), services.GetService<ILoggerFactory>(), services.GetService<IMeterFactory>());
    }

    internal static string DisplayName(string name) => name.Length == 0 ? "(default)" : name;
}
