using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Npgsql.JwtSso.AotSmoke;

/// <summary>A throwaway redis-server (the Debian package) on a free port of 127.0.0.1, without persistence, stopped by its process id.</summary>
internal sealed class SmokeRedis : IAsyncDisposable
{
    private const string ServerPath = "/usr/bin/redis-server";
    private readonly Process _server;

    private SmokeRedis(Process server, int port)
    {
        _server = server;
        Configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";
    }

    public string Configuration { get; }

    public static async Task<SmokeRedis> StartAsync()
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException($"{ServerPath} is missing: install the Debian package redis-server (.ci/run does it).");
        }

        var port = FreePort();
        var start = new ProcessStartInfo(ServerPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no", "--dir", Path.GetTempPath() })
        {
            start.ArgumentList.Add(arg);
        }

        var server = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var redis = new SmokeRedis(server, port);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
                await connection.GetDatabase().PingAsync();
                return redis;
            }
            catch (RedisConnectionException) when (!server.HasExited)
            {
                await Task.Delay(100);
            }
        }

        await redis.DisposeAsync();
        throw new InvalidOperationException($"redis-server did not answer on port {port}.");
    }

    /// <summary>Counts the keys under <paramref name="prefix"/> (the shared cache's entries).</summary>
    public async Task<int> CountKeysAsync(string prefix)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        var count = 0;
        await foreach (var _ in connection.GetServers()[0].KeysAsync(pattern: prefix + "*"))
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
