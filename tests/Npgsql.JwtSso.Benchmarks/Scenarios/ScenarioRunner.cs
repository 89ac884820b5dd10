using System.Diagnostics;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// <c>dotnet run -c Release --project tests/Npgsql.JwtSso.Benchmarks -- scenarios [opens|stampede|day|outage ...] [--quick] [--opens-seconds=N]</c>.
/// </summary>
public static class ScenarioRunner
{
    public static readonly IReadOnlyList<string> All = ["opens", "stampede", "day", "outage"];

    public static async Task<int> MainAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var seconds = args.FirstOrDefault(a => a.StartsWith("--opens-seconds=", StringComparison.Ordinal)) is { } value
            ? TimeSpan.FromSeconds(int.Parse(value["--opens-seconds=".Length..], System.Globalization.CultureInfo.InvariantCulture))
            : (TimeSpan?)null;
        var names = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var unknown = names.Except(All).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"Unknown scenario(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", All)}.");
            return 2;
        }

        await using var postgres = new TestPostgres(new TestPostgresOptions { MaxConnections = 1200 });
        await postgres.StartAsync();
        var context = new ScenarioContext { Postgres = postgres, Quick = quick, OpensDuration = seconds };
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores; load average at start: {LoadAverage()}; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine();
        await RunAsync(context, names.Count == 0 ? All : names);
        Console.WriteLine($"Load average at end: {LoadAverage()}");
        return 0;
    }

    public static async Task RunAsync(ScenarioContext context, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var clock = Stopwatch.StartNew();
            switch (name)
            {
                case "opens":
                    await OpensScenario.RunAsync(context, context.OpensDuration);
                    break;
                case "stampede":
                    await StampedeScenario.RunAsync(context);
                    break;
                case "day":
                    await DayScenario.RunAsync(context);
                    break;
                case "outage":
                    await OutageScenario.RunAsync(context);
                    break;
            }

            context.Out.WriteLine($"({name}: {clock.Elapsed.TotalSeconds:F0} s wall, load average now {LoadAverage()})");
            context.Out.WriteLine();
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
