using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Redis.Internal;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

/// <summary>A test's view of one Redis: its own connection and key prefix, one Data Protection key ring for its "fleet".</summary>
public sealed class Bed : IAsyncDisposable
{
    private readonly Task<IConnectionMultiplexer> _connection;

    public Bed(TestRedis server)
    {
        _connection = RedisConnections.ConnectAsync(server.Configuration);
    }

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8] + ":";

    /// <summary>Gets the key ring the bed's instances share.</summary>
    public IDataProtectionProvider DataProtection { get; } = new EphemeralDataProtectionProvider();

    public async Task<IDatabase> DatabaseAsync() => (await _connection).GetDatabase();

    public async Task<IServer> ServerAsync()
    {
        var connection = await _connection;
        return connection.GetServer(connection.GetEndPoints()[0]);
    }

    public RedisTokenCacheSource Decorate(
        JwtTokenSource inner,
        TimeProvider time,
        Action<RedisTokenCacheOptions>? configure = null,
        JwtTokenCacheOptions? refresh = null,
        IDataProtectionProvider? dataProtection = null,
        ILoggerFactory? logs = null)
    {
        var options = new RedisTokenCacheOptions { KeyPrefix = Prefix, Issuer = Jwts.Issuer, Audience = Jwts.Audience };
        configure?.Invoke(options);
        return new RedisTokenCacheSource(inner, _connection, options, refresh, options.AllowUnencryptedTokens ? dataProtection : dataProtection ?? DataProtection, time, logs);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await (await _connection).DisposeAsync();
        }
        catch (RedisException)
        {
        }
    }
}
