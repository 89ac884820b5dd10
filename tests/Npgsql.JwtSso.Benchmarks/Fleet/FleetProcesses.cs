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

    /// <param name="relaxed">Gives Redis operations 2 s (not 250 ms) and lease waits 10 s (not 3 s): on an overloaded
    /// machine the defaults make instances fall back to fetching alone, which hides the lease behaviour itself.</param>
    public static async Task RunAsync(TextWriter o, bool quick, bool relaxed)
    {
        var seconds = quick ? 25 : 60;
        await using var redis = new TestRedis();
        await redis.StartAsync();
        var keys = Directory.CreateTempSubdirectory("jwtsso-fleet-keys-");
        try
        {
            // Create the key ring once, before the workers start, so they do not each create their own key.
            _ = KeyRing(keys.FullName).CreateProtector("warm-up").Protect("x"u8.ToArray());
            o.WriteLine($"### Fleet across processes: {Processes} processes, one redis-server, 20 s tokens (RefreshAt 0.5, RefreshJitter 0.1), IdP answers in 200 ms, {seconds} s{(relaxed ? ", OperationTimeout 2 s, LeaseWait 10 s" : ", default OperationTimeout 250 ms, LeaseWait 3 s")}; load average at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            o.WriteLine();
            o.WriteLine("| run | IdP calls | refresh periods (run / 10 s, + cold start) | opens | opens that waited | failed opens |");
            o.WriteLine("|---|--:|--:|--:|--:|--:|");
            var lastCounts = new List<string>();
            foreach (var shared in new[] { false, true })
            {
                var prefix = "procs" + Guid.NewGuid().ToString("N")[..8] + ":";
                var start = TimeProvider.System.GetUtcNow().AddSeconds(10).ToUnixTimeMilliseconds();
                var workers = Enumerable.Range(0, Processes).Select(i => StartWorker(redis.Configuration, prefix, keys.FullName, start, seconds, shared, relaxed)).ToList();
                var outputs = await Task.WhenAll(workers.Select(async w =>
                {
                    var output = await w.StandardOutput.ReadToEndAsync();
                    await w.WaitForExitAsync();
                    w.Dispose();
                    return output;
                }));
                var results = outputs.Select(Parse).ToList();
                lastCounts = [.. results.Select(r => r.Counts)];
                var connection = await RedisConnections.ConnectAsync(redis.Configuration);
                var calls = (long)await connection.GetDatabase().StringGetAsync(prefix + "idp-calls");
                await connection.DisposeAsync();
                o.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {(shared ? "with the shared cache" : "without")} | {calls} | {(seconds / 10) + 1} | {results.Sum(r => r.Opens):N0} | {results.Sum(r => r.Waited)} | {results.Sum(r => r.Failed)} |"));
            }

            o.WriteLine();
            o.WriteLine("Shared-cache counters per process (last run): " + string.Join(" / ", lastCounts));
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
        var refresh = new JwtTokenCacheOptions { SafetyMargin = TimeSpan.FromSeconds(2), RefreshJitter = 0.1 };
        JwtTokenSource source = shared
            ? new RedisTokenCacheSource(issuer, connection, Options(prefix, bool.Parse(Arg("relaxed"))), refresh, KeyRing(Arg("keys")), null, null)
            : issuer;
        await using var cache = new JwtTokenCache(source, refresh);
        await connection;

        // Everyone starts at the same instant: the cold start of a fleet.
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Arg("start"), CultureInfo.InvariantCulture)) - TimeProvider.System.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        // What the shared cache did in this process (fallbacks = Redis too slow or down under this machine's load).
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RedisCacheTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var outcome = tags.ToArray().FirstOrDefault(t => t.Key is RedisCacheTelemetry.OutcomeTag or "jwtsso.operation").Value;
            counts.AddOrUpdate(outcome is null ? instrument.Name : $"{instrument.Name}:{outcome}", value, (_, v) => v + value);
        });
        listener.Start();
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

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {opens} {waited} {failed} {string.Join(',', counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}"));
        return 0;
    }

    private static RedisTokenCacheOptions Options(string prefix, bool relaxed) => new()
    {
        KeyPrefix = prefix,
        Issuer = FleetIssuer.Issuer,
        Audience = FleetIssuer.Audience,
        OperationTimeout = relaxed ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(250),
        LeaseWait = relaxed ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(3),
    };

    private static IDataProtectionProvider KeyRing(string directory)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("jwtsso-fleet").PersistKeysToFileSystem(new DirectoryInfo(directory));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
    }

    private static Process StartWorker(string redis, string prefix, string keys, long start, int seconds, bool shared, bool relaxed)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(FleetProcesses).Assembly.Location, "fleet", "worker", $"--redis={redis}", $"--prefix={prefix}", $"--keys={keys}", $"--start={start}", $"--seconds={seconds}", $"--shared={shared}", $"--relaxed={relaxed}" })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static (long Opens, long Waited, long Failed, string Counts) Parse(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"A worker printed no result: {output}");
        var parts = line.Split(' ');
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture), parts.Length > 4 ? parts[4].Trim() : string.Empty);
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
