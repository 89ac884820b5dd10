using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Redis;
using Npgsql.JwtSso.Redis.Internal;
using StackExchange.Redis;

namespace Npgsql.JwtSso;

/// <summary>Shares the tokens of a JWT single sign-on instance across a fleet through Redis (see <see cref="RedisTokenCacheSource"/>).</summary>
public static class RedisTokenCacheJwtSsoBuilderExtensions
{
    /// <summary>
    /// Puts a shared token cache on Redis behind the instance's refresh engine, configured in code. Tokens are encrypted
    /// with the application's ASP.NET Core Data Protection (<c>services.AddDataProtection()</c> with a key ring every
    /// instance shares), unless <see cref="RedisTokenCacheOptions.AllowUnencryptedTokens"/> is set.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the cache options; <see cref="RedisTokenCacheOptions.Issuer"/> and <see cref="RedisTokenCacheOptions.Audience"/> are required.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddRedisTokenCache(this IJwtSsoBuilder builder, Action<RedisTokenCacheOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<RedisTokenCacheOptions>(builder.Name).Configure(configure);
        return AddCache(builder);
    }

    /// <summary>Puts a shared token cache on Redis behind the instance's refresh engine, bound strictly from <paramref name="section"/> (an unknown key fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="RedisTokenCacheOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder AddRedisTokenCache(this IJwtSsoBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        if (!section.GetChildren().Any())
        {
            throw new ArgumentException($"The configuration section '{section.Path}' is missing or empty; add the RedisTokenCacheOptions settings (at least Configuration, Issuer and Audience) to appsettings.json (or the environment).", nameof(section));
        }

        builder.Services.AddOptions<RedisTokenCacheOptions>(builder.Name).Configure(o => Bind(section, o));
        return AddCache(builder);
    }

    private static void Bind(IConfigurationSection section, RedisTokenCacheOptions options)
    {
        try
        {
            section.Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the unknown keys (never a value); a conversion failure is reported without its value.
            var what = ex.Message.Contains("were not found", StringComparison.Ordinal) ? ex.Message : "a value cannot be converted to its setting's type";
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, $"'{section.Path}' does not bind to RedisTokenCacheOptions: {what} Fix the key's spelling or value.");
        }
    }

    private static IJwtSsoBuilder AddCache(IJwtSsoBuilder builder)
    {
        var name = builder.Name;
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RedisTokenCacheSource) && d.IsKeyedService && Equals(d.ServiceKey, name)))
        {
            return builder;
        }

        services.TryAddSingleton<RedisConnections>();
        services.AddKeyedSingleton(name, static (sp, key) => CreateSource(sp, (string)key!));

        // The engine stays the instance's JwtTokenCache; only the source it calls on a refresh changes.
        var existing = services.Where(d => d.ServiceType == typeof(JwtTokenCache) && d.IsKeyedService && Equals(d.ServiceKey, name)).ToList();
        foreach (var descriptor in existing)
        {
            services.Remove(descriptor);
        }

        services.AddKeyedSingleton(name, static (sp, key) => new JwtTokenCache(
            sp.GetRequiredKeyedService<RedisTokenCacheSource>(key),
            sp.GetRequiredService<IOptionsMonitor<JwtTokenCacheOptions>>().Get((string)key!),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return builder;
    }

    private static RedisTokenCacheSource CreateSource(IServiceProvider services, string name)
    {
        var display = name.Length == 0 ? "(default)" : name;
        var options = services.GetRequiredService<IOptionsMonitor<RedisTokenCacheOptions>>().Get(name);
        var inner = services.GetKeyedService<JwtTokenSource>(name)
            ?? throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"No token source is registered for the JWT SSO instance '{display}', so the Redis token cache has nothing to share. Call AddGcp, AddAzure, AddOkta, AddTokenSource or another token-source method on the builder returned by AddNpgsqlJwtSso, or set the 'Source' key in its configuration section.");
        var connection = options.Configuration is { Length: > 0 } configuration
            ? services.GetRequiredService<RedisConnections>().Get(configuration)
            : Task.FromResult(services.GetService<IConnectionMultiplexer>()
                ?? throw new JwtSsoException(
                    JwtSsoErrorKind.Configuration,
                    null,
                    $"The Redis token cache of JWT SSO instance '{display}' has no Redis: set RedisTokenCacheOptions.Configuration (a StackExchange.Redis configuration string such as \"redis:6379\"), or register an IConnectionMultiplexer in the service collection."));
        return new RedisTokenCacheSource(
            inner,
            connection,
            options,
            services.GetRequiredService<IOptionsMonitor<JwtTokenCacheOptions>>().Get(name),
            services.GetService<IDataProtectionProvider>(),
            services.GetService<TimeProvider>(),
            services.GetService<ILoggerFactory>());
    }
}
