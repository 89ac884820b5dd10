using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.DependencyInjection.Internal;

namespace Npgsql.JwtSso;

/// <summary>Configures a JWT single sign-on instance registered with <see cref="JwtSsoServiceCollectionExtensions.AddNpgsqlJwtSso(IServiceCollection)"/>.</summary>
public static class JwtSsoBuilderExtensions
{
    /// <summary>Configures the options of the instance's token cache (refresh, timeouts, retries, rate limit), shared by all its data sources.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder ConfigureCache(this IJwtSsoBuilder builder, Action<JwtTokenCacheOptions> configure)
        => ConfigureOptions(builder, WithoutServices(configure));

    /// <summary>Configures the options of the instance's token cache, with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder ConfigureCache(this IJwtSsoBuilder builder, Action<JwtTokenCacheOptions, IServiceProvider> configure)
        => ConfigureOptions(builder, configure);

    /// <summary>
    /// Configures the default connection options (TLS, identity map, username check, retry) of the instance's data sources;
    /// each data source may change them further (<c>UseJwtSso(services, name, configure)</c>, <c>AddJwtSsoDataSource(…, configureConnection)</c>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder ConfigureConnection(this IJwtSsoBuilder builder, Action<JwtSsoConnectionOptions> configure)
        => ConfigureOptions(builder, WithoutServices(configure));

    /// <summary>Configures the default connection options of the instance's data sources, with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder ConfigureConnection(this IJwtSsoBuilder builder, Action<JwtSsoConnectionOptions, IServiceProvider> configure)
        => ConfigureOptions(builder, configure);

    /// <summary>
    /// Binds the instance from configuration: the cache options (<see cref="JwtTokenCacheOptions"/>) and the default
    /// connection options (<see cref="JwtSsoConnectionOptions"/>) as flat keys at the top level, <c>Startup</c> for start-up
    /// behaviour, and, when a <c>Source</c> key is present, the token source from the sub-section of that name.
    /// Binding is strict: a misspelt key fails when the host starts, naming the key.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("JwtSso")</c>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section does not exist or is empty, or names its source with the old <c>Provider</c> key (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    /// <exception cref="InvalidOperationException">The <c>Source</c> key names a source other than the one the instance already uses.</exception>
    public static IJwtSsoBuilder Configure(this IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        ConfigurationSections.ThrowIfEmpty(section, "the JWT SSO instance's settings");
        ConfigurationSections.ThrowIfRenamedKey(section);

        var name = builder.Name;
        builder.Services.AddOptions<JwtTokenCacheOptions>(name).Configure<IEnumerable<SourceRegistration>>((o, sources) => JwtSsoConfigurationBinder.BindCacheOptions(section, o, sources.Select(r => r.Name)));
        builder.Services.AddOptions<JwtSsoConnectionOptions>(name).Configure<IEnumerable<SourceRegistration>>((o, sources) => JwtSsoConfigurationBinder.BindConnectionOptions(section, o, sources.Select(r => r.Name)));
        builder.Services.AddOptions<JwtSsoStartupOptions>(name).Configure(o => JwtSsoConfigurationBinder.BindStartup(section, o));
        if (section[ConfigurationSections.SourceKey] is { Length: > 0 } source)
        {
            JwtSsoSources.UseConfigured(builder, section, source);
        }

        return builder;
    }

    /// <summary>Configures what the instance does when the host starts.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the start-up options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder ConfigureStartup(this IJwtSsoBuilder builder, Action<JwtSsoStartupOptions> configure)
        => ConfigureOptions(builder, WithoutServices(configure));

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
        JwtSsoSources.UseFactory(builder, factory);
        return builder;
    }

    /// <summary>Uses the given token source.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already has a token source.</exception>
    public static IJwtSsoBuilder AddTokenSource(this IJwtSsoBuilder builder, JwtTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return builder.AddTokenSource(_ => source);
    }

    /// <summary>
    /// Uses the descriptor's token source, configured in code. Calling it again for the same instance and source adds
    /// to the same named options (the actions run in order); a different source fails.
    /// </summary>
    /// <typeparam name="TOptions">The source's options type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The source's descriptor.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddTokenSource<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
        this IJwtSsoBuilder builder, JwtTokenSourceDescriptor<TOptions> descriptor, Action<TOptions> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        return JwtSsoSources.Use(builder, descriptor, o => o.Configure(configure));
    }

    /// <summary>Uses the descriptor's token source, configured in code with access to the application's services; see <see cref="AddTokenSource{TOptions}(IJwtSsoBuilder, JwtTokenSourceDescriptor{TOptions}, Action{TOptions})"/>.</summary>
    /// <typeparam name="TOptions">The source's options type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The source's descriptor.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddTokenSource<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
        this IJwtSsoBuilder builder, JwtTokenSourceDescriptor<TOptions> descriptor, Action<TOptions, IServiceProvider> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        return JwtSsoSources.Use(builder, descriptor, o => o.Configure<IServiceProvider>((options, sp) => configure(options, sp)));
    }

    /// <summary>
    /// Uses the descriptor's token source, bound strictly from <paramref name="section"/>: an unknown key or an invalid
    /// setting fails when the host starts, naming it.
    /// </summary>
    /// <typeparam name="TOptions">The source's options type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="descriptor">The source's descriptor.</param>
    /// <param name="section">The section whose keys are named like the options' properties.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The section does not exist or is empty (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddTokenSource<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
        this IJwtSsoBuilder builder, JwtTokenSourceDescriptor<TOptions> descriptor, IConfigurationSection section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(section);
        ConfigurationSections.ThrowIfEmpty(section, $"the settings of the '{descriptor.Name}' token source");
        return JwtSsoSources.Use(builder, descriptor, o => o.Configure(options => JwtSsoConfiguration.Bind(section, options, descriptor.Bind)));
    }

    // The one path of the Configure* methods: the instance's named options, with the application's services at hand.
    private static IJwtSsoBuilder ConfigureOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IJwtSsoBuilder builder, Action<TOptions, IServiceProvider> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(builder.Name).Configure<IServiceProvider>((o, sp) => configure(o, sp));
        return builder;
    }

    private static Action<TOptions, IServiceProvider> WithoutServices<TOptions>(Action<TOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return (options, _) => configure(options);
    }
}
