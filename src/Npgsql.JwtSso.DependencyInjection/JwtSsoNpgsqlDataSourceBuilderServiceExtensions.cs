using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso;

/// <summary>
/// Wires a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c> into Npgsql's data-source builders, for use
/// inside Npgsql's own <c>AddNpgsqlDataSource(connectionString, (sp, builder) => builder.UseJwtSso(sp))</c>.
/// </summary>
/// <remarks>
/// The instance's <see cref="JwtTokenCache"/> is shared (owned by the container, not by the data source); each data source
/// starts from the instance's connection options (<c>ConfigureConnection</c>, or the flat keys of its configuration
/// section) and may change them, so two data sources on one instance may differ in TLS or identity map. Npgsql's own
/// <c>Build()</c> fixes the username at build time, so the connection string needs an explicit <c>Username</c>; to derive
/// it from the token, and to retry an open the cluster rejects, register the data source with
/// <see cref="JwtSsoDataSourceServiceCollectionExtensions.AddJwtSsoDataSource"/> instead.
/// </remarks>
// RS0026: one overload per builder type, since NpgsqlDataSourceBuilder and NpgsqlSlimDataSourceBuilder share no interface.
#pragma warning disable RS0026
public static class JwtSsoNpgsqlDataSourceBuilderServiceExtensions
{
    /// <summary>Uses the token cache of the JWT SSO instance <paramref name="name"/> from <paramref name="services"/>, with the container's logging.</summary>
    /// <param name="builder">The data-source builder.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="name">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <param name="configure">Changes this data source's connection options, which start from the instance's; or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No JWT SSO instance of that name is registered.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on, or the connection options cannot work; the message names the setting.</exception>
    public static NpgsqlDataSourceBuilder UseJwtSso(this NpgsqlDataSourceBuilder builder, IServiceProvider services, string? name = null, Action<JwtSsoConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var instance = name ?? Options.DefaultName;
        return builder.UseJwtSso(ResolveCache(services, instance), ConnectionOptions(services, instance, configure), services.GetService<ILoggerFactory>());
    }

    /// <summary>Uses the token cache of the JWT SSO instance <paramref name="name"/> from <paramref name="services"/>, with the container's logging.</summary>
    /// <param name="builder">The slim data-source builder.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="name">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <param name="configure">Changes this data source's connection options, which start from the instance's; or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No JWT SSO instance of that name is registered.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on, or the connection options cannot work; the message names the setting.</exception>
    public static NpgsqlSlimDataSourceBuilder UseJwtSso(this NpgsqlSlimDataSourceBuilder builder, IServiceProvider services, string? name = null, Action<JwtSsoConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var instance = name ?? Options.DefaultName;
        return builder.UseJwtSso(ResolveCache(services, instance), ConnectionOptions(services, instance, configure), services.GetService<ILoggerFactory>());
    }

    /// <summary>
    /// Starts a data source's connection options from the instance's configuration (the steps <c>IOptionsFactory</c> runs,
    /// replayed onto the fresh options the wiring creates), then applies the data source's own changes.
    /// </summary>
    private static Action<JwtSsoConnectionOptions> ConnectionOptions(IServiceProvider services, string instance, Action<JwtSsoConnectionOptions>? configure)
        => options =>
        {
            foreach (var setup in services.GetServices<IConfigureOptions<JwtSsoConnectionOptions>>())
            {
                if (setup is IConfigureNamedOptions<JwtSsoConnectionOptions> named)
                {
                    named.Configure(instance, options);
                }
                else if (instance.Length == 0)
                {
                    setup.Configure(options);
                }
            }

            foreach (var post in services.GetServices<IPostConfigureOptions<JwtSsoConnectionOptions>>())
            {
                post.PostConfigure(instance, options);
            }

            configure?.Invoke(options);
        };

    private static JwtTokenCache ResolveCache(IServiceProvider services, string instance)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetKeyedService<JwtTokenCache>(instance)
            ?? throw new InvalidOperationException(
                $"No JWT SSO instance '{JwtSsoServiceCollectionExtensions.DisplayName(instance)}' is registered. Call services.AddNpgsqlJwtSso({(instance.Length == 0 ? string.Empty : $"\"{instance}\"")}) and choose its token source, or pass the name used there.");
    }
}
#pragma warning restore RS0026
