using System.Globalization;

using Npgsql.JwtSso.Redis.Tests.Infrastructure;

namespace Npgsql.JwtSso.Benchmarks.Fleet;

/// <summary>
/// <c>dotnet run -c Release --project tests/Npgsql.JwtSso.Benchmarks -- fleet [sim|processes] [--quick] [--relaxed]</c>: the shared
/// token cache on Redis measured. <c>sim</c>: 200 simulated instances over 24 simulated hours, with and without the shared
/// cache, and with a 10-minute Redis outage. <c>processes</c>: 8 real processes sharing one Redis (see
/// <see cref="FleetProcesses"/>). <c>worker</c> is the child process of <c>processes</c>.
/// </summary>
public static class FleetRunner
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(30);

    public static async Task<int> MainAsync(string[] args)
    {
        var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "sim";
        var quick = args.Contains("--quick");
        switch (mode)
        {
            case "worker":
                return await FleetProcesses.WorkerAsync(args[1..]);
            case "processes":
                await FleetProcesses.RunAsync(Console.Out, quick, args.Contains("--relaxed"));
                return 0;
            case "sim":
                await SimulateAsync(Console.Out, quick);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Unknown fleet mode '{mode}'. Known: sim, processes.");
                return 2;
        }
    }

    public static async Task SimulateAsync(TextWriter o, bool quick)
    {
        var instances = quick ? 20 : 200;
        var span = quick ? TimeSpan.FromHours(3) : TimeSpan.FromHours(24);
        await using var redis = new TestRedis();
        await redis.StartAsync();
        o.WriteLine($"### Fleet: {instances} simulated instances, one identity provider, 1 h tokens, RefreshAt 0.5, RefreshJitter 0.1, {span.TotalHours:F0} simulated hours, an open on every instance every 10 s");
        o.WriteLine();
        o.WriteLine("| run | IdP calls at cold start | IdP calls in total | per refresh period (average) | most in any 30 min after start | opens | opens that waited | failed opens | expired tokens handed out |");
        o.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        var periods = span / RefreshPeriod;
        foreach (var (name, shared, outage) in new (string, bool, (TimeSpan, TimeSpan)?)[]
        {
            ("without the shared cache", false, null),
            ("with the shared cache on Redis", true, null),
            ("with the shared cache, Redis killed for 10 min across a refresh (25–35 min)", true, (TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(35))),
        })
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = await new FleetSimulation { Instances = instances, Span = span, Shared = shared, Redis = redis, Outage = outage }.RunAsync();
            var perPeriod = (result.TotalCalls - result.ColdStartCalls) / periods;
            o.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {result.ColdStartCalls} | {result.TotalCalls:N0} | {perPeriod:F1} | {result.MaxCallsPerRefreshPeriod(RefreshPeriod)} | {result.Opens:N0} | {result.OpensThatWaited} | {result.FailedOpens} | {result.ExpiredHandedOut} |"));
            Console.Error.WriteLine($"({name}: {started.Elapsed.TotalSeconds:F0} s wall, settle guard hits {result.SettleGuardHits})");
        }

        o.WriteLine();
    }
}
