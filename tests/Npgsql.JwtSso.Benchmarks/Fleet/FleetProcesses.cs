using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Redis;
using Npgsql.JwtSso.Redis.Internal;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Benchmarks.Fleet;

/// <summary>
/// The lease across real processes: 8 <c>dotnet</c> processes (this program in <c>fleet worker</c> mode), each with its
/// own refresh engine and shared cache, one redis-server, one Data Protection key ring in a directory, real time.
/// Tokens live 20 s (refresh every ~10 s); the identity provider takes 200 ms to answer and counts its calls in Redis
/// (INCR), so the count spans processes. All workers start at the same instant, then open every 20 ms for the run.
/// </summary>
internal static class FleetProcesses
{
    private const int Processes = 8;
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(TextWriter o, bool quick)
    {
        var seconds = quick ? 25 : 60;
        await using var redis = new TestRedis();
        await redis.StartAsync();
        var keys = Directory.CreateTempSubdirectory("jwtsso-fleet-keys-");
        try
        {
            // Create the key ring once, before the workers start, so they do not each create their own key.
            _ = KeyRing(keys.FullName).CreateProtector("warm-up").Protect("x"u8.ToArray());
            o.WriteLine($"### Fleet across processes: {Processes} processes, one redis-server, 20 s tokens (RefreshAt 0.5, RefreshJitter 0.1), IdP answers in 200 ms, {seconds} s");
            o.WriteLine();
            o.WriteLine("| run | IdP calls | refresh periods (run / 10 s, + cold start) | opens | opens that waited | failed opens |");
            o.WriteLine("|---|--:|--:|--:|--:|--:|");
            foreach (var shared in new[] { false, true })
            {
                var prefix = "procs" + Guid.NewGuid().ToString("N")[..8] + ":";
                var start = TimeProvider.System.GetUtcNow().AddSeconds(10).ToUnixTimeMilliseconds();
                var workers = Enumerable.Range(0, Processes).Select(i => StartWorker(redis.Configuration, prefix, keys.FullName, start, seconds, shared)).ToList();
                var outputs = await Task.WhenAll(workers.Select(async w =>
                {
                    var output = await w.StandardOutput.ReadToEndAsync();
                    await w.WaitForExitAsync();
                    w.Dispose();
                    return output;
                }));
                var results = outputs.Select(Parse).ToList();
                var connection = await RedisConnections.ConnectAsync(redis.Configuration);
                var calls = (long)await connection.GetDatabase().StringGetAsync(prefix + "idp-calls");
                await connection.DisposeAsync();
                o.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {(shared ? "with the shared cache" : "without")} | {calls} | {(seconds / 10) + 1} | {results.Sum(r => r.Opens):N0} | {results.Sum(r => r.Waited)} | {results.Sum(r => r.Failed)} |"));
            }

            o.WriteLine();
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }

    public static async Task<int> WorkerAsync(string[] args)
    {
        string Arg(string name) => args.First(a => a.StartsWith($"--{name}=", StringComparison.Ordinal))[(name.Length + 3)..];
        var prefix = Arg("prefix");
        var shared = bool.Parse(Arg("shared"));
        var until = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Arg("start"), CultureInfo.InvariantCulture)).AddSeconds(int.Parse(Arg("seconds"), CultureInfo.InvariantCulture));
        var connection = RedisConnections.ConnectAsync(Arg("redis"));
        var issuer = new CountingIssuer(connection, prefix + "idp-calls");
        var refresh = new JwtSsoOptions { SafetyMargin = TimeSpan.FromSeconds(2), RefreshJitter = 0.1 };
        JwtTokenSource source = shared
            ? new RedisTokenCacheSource(issuer, connection, new RedisTokenCacheOptions { KeyPrefix = prefix, Issuer = FleetIssuer.Issuer, Audience = FleetIssuer.Audience }, refresh, KeyRing(Arg("keys")), null, null)
            : issuer;
        await using var cache = new JwtTokenCache(source, refresh);
        await connection;

        // Everyone starts at the same instant: the cold start of a fleet.
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Arg("start"), CultureInfo.InvariantCulture)) - TimeProvider.System.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        long opens = 0, waited = 0, failed = 0;
        while (TimeProvider.System.GetUtcNow() < until)
        {
            opens++;
            if (!cache.TryGetToken(out _))
            {
                waited++;
                try
                {
                    await cache.GetTokenAsync();
                }
                catch (JwtSsoException)
                {
                    failed++;
                }
            }

            await Task.Delay(20);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {opens} {waited} {failed}"));
        return 0;
    }

    private static IDataProtectionProvider KeyRing(string directory)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("jwtsso-fleet").PersistKeysToFileSystem(new DirectoryInfo(directory));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private static Process StartWorker(string redis, string prefix, string keys, long start, int seconds, bool shared)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(FleetProcesses).Assembly.Location, "fleet", "worker", $"--redis={redis}", $"--prefix={prefix}", $"--keys={keys}", $"--start={start}", $"--seconds={seconds}", $"--shared={shared}" })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static (long Opens, long Waited, long Failed) Parse(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"A worker printed no result: {output}");
        var parts = line.Split(' ');
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The identity provider of the processes: 200 ms to answer, its calls counted in Redis so the count spans processes.</summary>
    private sealed class CountingIssuer(Task<IConnectionMultiplexer> redis, string counter) : JwtTokenSource
    {
        public override string Name => "fleet-idp";

        public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
        {
            await (await redis).GetDatabase().StringIncrementAsync(counter);
            await Task.Delay(200, cancellationToken);
            return FleetIssuer.Mint(TimeProvider.System.GetUtcNow(), TokenLifetime);
        }
    }
}
