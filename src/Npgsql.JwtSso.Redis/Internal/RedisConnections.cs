using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>
/// One connection per configuration string, opened in the background: resolving the cache never blocks on Redis, and
/// a Redis that is down at start-up is retried by the client while the cache fetches alone.
/// </summary>
internal sealed class RedisConnections : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IConnectionMultiplexer>>> _connections = new(StringComparer.Ordinal);

    public Task<IConnectionMultiplexer> Get(string configuration)
        => _connections.GetOrAdd(configuration, static c => new Lazy<Task<IConnectionMultiplexer>>(() => ConnectAsync(c))).Value;

    public static Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;

        // Commands fail at once while disconnected instead of queueing: the cache then fetches alone without waiting.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectCoreAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values.Where(c => c.IsValueCreated))
        {
            try
            {
                await (await connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A connection that never opened has nothing to close.
            }
        }
    }

    public void Dispose()
    {
        foreach (var connection in _connections.Values.Where(c => c.IsValueCreated && c.Value.IsCompletedSuccessfully))
        {
            connection.Value.Result.Dispose();
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectCoreAsync(ConfigurationOptions options)
        => await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
}
