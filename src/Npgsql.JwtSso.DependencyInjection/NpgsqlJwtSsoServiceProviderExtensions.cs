using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso;

/// <summary>
/// Wires a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c> into Npgsql's data-source builders, for use
/// inside Npgsql's own <c>AddNpgsqlDataSource(connectionString, (sp, builder) => builder.UseJwtSso(sp))</c>.
/// </summary>
/// <remarks>
/// The instance's <see cref="JwtTokenCache"/> is shared (owned by the container, not by the data source). Npgsql's own
/// <c>Build()</c> fixes the username at build time, so the connection string needs an explicit <c>Username</c>; to derive
/// it from the token, and to retry an open the cluster rejects, register the data source with
/// <see cref="JwtSsoDataSourceServiceCollectionExtensions.AddJwtSsoDataSource"/> instead.
/// </remarks>
// RS0026: one overload per builder type, since NpgsqlDataSourceBuilder and NpgsqlSlimDataSourceBuilder share no interface.
#pragma warning disable RS0026
public static class NpgsqlJwtSsoServiceProviderExtensions
{
    /// <summary>Uses the token cache of the JWT SSO instance <paramref name="name"/> from <paramref name="services"/>, with the container's logging.</summary>
    /// <param name="builder">The data-source builder.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="name">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No JWT SSO instance of that name is registered.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on; the message names the setting.</exception>
    public static NpgsqlDataSourceBuilder UseJwtSso(this NpgsqlDataSourceBuilder builder, IServiceProvider services, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseJwtSso(ResolveCache(services, name), services.GetService<ILoggerFactory>());
    }

    /// <summary>Uses the token cache of the JWT SSO instance <paramref name="name"/> from <paramref name="services"/>, with the container's logging.</summary>
    /// <param name="builder">The slim data-source builder.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="name">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No JWT SSO instance of that name is registered.</exception>
    /// <exception cref="JwtSsoException">The connection string conflicts with JWT single sign-on; the message names the setting.</exception>
    public static NpgsqlSlimDataSourceBuilder UseJwtSso(this NpgsqlSlimDataSourceBuilder builder, IServiceProvider services, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseJwtSso(ResolveCache(services, name), services.GetService<ILoggerFactory>());
    }

    internal static JwtTokenCache ResolveCache(IServiceProvider services, string? name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var instance = name ?? Options.DefaultName;
        return services.GetKeyedService<JwtTokenCache>(instance)
            ?? throw new InvalidOperationException(
                $"No JWT SSO instance '{JwtSsoServiceCollectionExtensions.DisplayName(instance)}' is registered. Call services.AddNpgsqlJwtSso({(instance.Length == 0 ? string.Empty : $"\"{instance}\"")}) and choose its token source, or pass the name used there.");
    }
}
#pragma warning restore RS0026
