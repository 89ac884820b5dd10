using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.DependencyInjection.Internal;

namespace Npgsql.JwtSso;

/// <summary>Registers a <see cref="JwtSsoDataSource"/> (retry on a rejected token, username derived from the token) in an <see cref="IServiceCollection"/>.</summary>
public static class JwtSsoDataSourceServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="JwtSsoDataSource"/> that logs in with the tokens of the JWT SSO instance
    /// <paramref name="instanceName"/>, plus its <see cref="JwtSsoDataSource.Inner"/> <see cref="NpgsqlDataSource"/> (for EF Core
    /// and other Npgsql APIs) and <see cref="DbDataSource"/> (resolving to the <see cref="JwtSsoDataSource"/>, so opens retry).
    /// The default instance registers them as plain services, a named instance as keyed services with the instance name as key.
    /// Unless <see cref="JwtSsoStartupOptions.WarmUp"/> is off, the data source is built while the host starts (after the
    /// warm-up), so a connection string that conflicts with JWT single sign-on stops the start (or is logged, without
    /// <see cref="JwtSsoStartupOptions.FailFast"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The connection string, without <c>Password</c>; an empty <c>Username</c> is derived from the token.</param>
    /// <param name="instanceName">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <param name="configure">Further configures the Npgsql builder (type mappings, logging), or <see langword="null"/>.</param>
    /// <returns>The service collection, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Any <see cref="NpgsqlDataSource"/> in the container is used by EF Core's <c>UseNpgsql()</c> even when a connection string
    /// is passed (efcore.pg#3060); pass the data source to <c>UseNpgsql(dataSource)</c> explicitly to make that visible.
    /// </remarks>
    public static IServiceCollection AddJwtSsoDataSource(
        this IServiceCollection services,
        string connectionString,
        string? instanceName = null,
        Action<NpgsqlDataSourceBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connectionString);
        var name = instanceName ?? Options.DefaultName;

        JwtSsoDataSource Create(IServiceProvider sp)
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.UseLoggerFactory(sp.GetService<ILoggerFactory>());
            configure?.Invoke(builder);
            return builder.UseJwtSso(sp, name).BuildJwtSso();
        }

        services.AddSingleton(new JwtSsoDataSourceRegistration(name));
        if (name.Length == 0)
        {
            services.AddSingleton(Create);
            services.AddSingleton(sp => sp.GetRequiredService<JwtSsoDataSource>().Inner);
            services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<JwtSsoDataSource>());
        }
        else
        {
            services.AddKeyedSingleton(name, (sp, _) => Create(sp));
            services.AddKeyedSingleton(name, (sp, key) => sp.GetRequiredKeyedService<JwtSsoDataSource>(key).Inner);
            services.AddKeyedSingleton<DbDataSource>(name, (sp, key) => sp.GetRequiredKeyedService<JwtSsoDataSource>(key));
        }

        return services;
    }

    /// <summary>Registers a <see cref="JwtSsoDataSource"/> for this instance; see <see cref="AddJwtSsoDataSource(IServiceCollection, string, string?, Action{NpgsqlDataSourceBuilder}?)"/>.</summary>
    /// <param name="builder">The JWT SSO builder.</param>
    /// <param name="connectionString">The connection string, without <c>Password</c>; an empty <c>Username</c> is derived from the token.</param>
    /// <param name="configure">Further configures the Npgsql builder, or <see langword="null"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddDataSource(this IJwtSsoBuilder builder, string connectionString, Action<NpgsqlDataSourceBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddJwtSsoDataSource(connectionString, builder.Name, configure);
        return builder;
    }
}
