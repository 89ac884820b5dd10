using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using Npgsql.JwtSso.EntityFrameworkCore.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// Points an EF Core DbContext at CockroachDB with JWT single sign-on, in one call inside <c>AddDbContext</c>,
/// <c>AddDbContextPool</c> or <c>AddDbContextFactory</c>:
/// <c>services.AddDbContext&lt;AppDb&gt;((sp, options) =&gt; options.UseNpgsqlJwtSso(sp))</c>.
/// </summary>
/// <remarks>
/// <para>The DbContext uses the <see cref="JwtSsoDataSource"/> registered for the JWT SSO instance
/// (<c>services.AddNpgsqlJwtSso(…).AddDataSource(connectionString)</c>): the instance's shared <see cref="JwtTokenCache"/>
/// supplies the password of every physical open, and the SQL username is derived from the token when the connection string
/// has none. The data source is handed to EF Core explicitly, so no other <see cref="NpgsqlDataSource"/> in the container
/// can take its place.</para>
/// <para>When the cluster rejects the cached token of an open EF Core makes (SQLSTATE 28000 <c>JWT authentication: …</c>,
/// for example after a key rotation), the token is invalidated and the open is repeated once with a fresh token, before
/// any command is sent. The retry lives in a connection interceptor, not in an execution strategy: it composes with
/// <c>EnableRetryOnFailure</c> and any other strategy, and works inside user transactions unchanged. Login errors that
/// remain become a <see cref="JwtSsoException"/> (<see cref="JwtSsoErrorKind.ServerRejected"/>) naming the setting to fix.</para>
/// </remarks>
// RS0026: the DbContextOptionsBuilder<TContext> overloads mirror EF Core's own UseNpgsql overload set.
#pragma warning disable RS0026
public static class JwtSsoDbContextOptionsBuilderExtensions
{
    private static readonly ConditionalWeakTable<JwtSsoDataSource, JwtSsoConnectionInterceptor> Interceptors = [];

    /// <summary>Uses the <see cref="JwtSsoDataSource"/> of the JWT SSO instance <paramref name="instanceName"/> from <paramref name="services"/>.</summary>
    /// <param name="optionsBuilder">The DbContext options builder.</param>
    /// <param name="services">The application's services (the <see cref="IServiceProvider"/> that <c>AddDbContext</c> passes to its callback).</param>
    /// <param name="instanceName">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <param name="npgsqlOptionsAction">Further Npgsql options (migrations assembly, <c>EnableRetryOnFailure</c>, …), or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="optionsBuilder"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No JWT SSO data source is registered for the instance; the message names the call that registers it.</exception>
    public static DbContextOptionsBuilder UseNpgsqlJwtSso(
        this DbContextOptionsBuilder optionsBuilder,
        IServiceProvider services,
        string? instanceName = null,
        Action<NpgsqlDbContextOptionsBuilder>? npgsqlOptionsAction = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(services);
        return optionsBuilder.UseNpgsqlJwtSso(ResolveDataSource(services, instanceName), npgsqlOptionsAction);
    }

    /// <summary>Uses the <see cref="JwtSsoDataSource"/> of the JWT SSO instance <paramref name="instanceName"/> from <paramref name="services"/>.</summary>
    /// <typeparam name="TContext">The DbContext type.</typeparam>
    /// <param name="optionsBuilder">The DbContext options builder.</param>
    /// <param name="services">The application's services.</param>
    /// <param name="instanceName">The instance name given to <c>AddNpgsqlJwtSso</c>; the default instance when omitted.</param>
    /// <param name="npgsqlOptionsAction">Further Npgsql options, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="optionsBuilder"/> or <paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No JWT SSO data source is registered for the instance.</exception>
    public static DbContextOptionsBuilder<TContext> UseNpgsqlJwtSso<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        IServiceProvider services,
        string? instanceName = null,
        Action<NpgsqlDbContextOptionsBuilder>? npgsqlOptionsAction = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseNpgsqlJwtSso((DbContextOptionsBuilder)optionsBuilder, services, instanceName, npgsqlOptionsAction);

    /// <summary>Uses a <see cref="JwtSsoDataSource"/> built without dependency injection (<c>BuildJwtSsoAsync()</c>), for design-time factories and scripts.</summary>
    /// <param name="optionsBuilder">The DbContext options builder.</param>
    /// <param name="dataSource">The data source; it stays owned by the caller.</param>
    /// <param name="npgsqlOptionsAction">Further Npgsql options, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="optionsBuilder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static DbContextOptionsBuilder UseNpgsqlJwtSso(
        this DbContextOptionsBuilder optionsBuilder,
        JwtSsoDataSource dataSource,
        Action<NpgsqlDbContextOptionsBuilder>? npgsqlOptionsAction = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(dataSource);
        optionsBuilder.UseNpgsql(dataSource.Inner, npgsqlOptionsAction);
        var interceptor = Interceptors.GetValue(dataSource, ds => new JwtSsoConnectionInterceptor(ds));
        return optionsBuilder.AddInterceptors(interceptor);
    }

    /// <summary>Uses a <see cref="JwtSsoDataSource"/> built without dependency injection, for design-time factories and scripts.</summary>
    /// <typeparam name="TContext">The DbContext type.</typeparam>
    /// <param name="optionsBuilder">The DbContext options builder.</param>
    /// <param name="dataSource">The data source; it stays owned by the caller.</param>
    /// <param name="npgsqlOptionsAction">Further Npgsql options, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="optionsBuilder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static DbContextOptionsBuilder<TContext> UseNpgsqlJwtSso<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        JwtSsoDataSource dataSource,
        Action<NpgsqlDbContextOptionsBuilder>? npgsqlOptionsAction = null)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseNpgsqlJwtSso((DbContextOptionsBuilder)optionsBuilder, dataSource, npgsqlOptionsAction);

    private static JwtSsoDataSource ResolveDataSource(IServiceProvider services, string? instanceName)
    {
        var name = instanceName ?? Options.DefaultName;
        var dataSource = name.Length == 0 ? services.GetService<JwtSsoDataSource>() : services.GetKeyedService<JwtSsoDataSource>(name);
        if (dataSource is not null)
        {
            return dataSource;
        }

        var shown = name.Length == 0 ? "(default)" : name;
        var call = name.Length == 0 ? "services.AddNpgsqlJwtSso(…)" : $"services.AddNpgsqlJwtSso(\"{name}\")";
        throw new InvalidOperationException(
            $"No JWT SSO data source is registered for instance '{shown}'. Register it with {call}.AddDataSource(connectionString), or pass the instance name used there to UseNpgsqlJwtSso.");
    }
}
#pragma warning restore RS0026
