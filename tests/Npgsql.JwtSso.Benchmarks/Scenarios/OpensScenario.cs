using System.Diagnostics;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: physical opens per second through the emulator, pooling off, variants interleaved one open per variant
/// per cycle in a reshuffled order (anchor-figures.md §4.1), ratios against a static password with a paired bootstrap.
/// </summary>
public static class OpensScenario
{
    public static async Task RunAsync(ScenarioContext context, TimeSpan? duration = null)
    {
        var runFor = duration ?? (context.Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(40));
        var warmUp = context.Quick ? 5 : 100;
        await using var bed = await ScenarioBed.StartAsync(context);
        await context.Postgres.CreateRoleAsync(ScenarioBed.User);
        var jwt = bed.Issuer.MintToken(ScenarioBed.User, ScenarioBed.Audience, TimeSpan.FromHours(2));
        using var naive = new NaiveFetch(bed.TokenEndpoint, context);
        var cached = jwt;
        context.RememberSecret(jwt);

        var variants = new List<(string Name, NpgsqlDataSource Source)>
        {
            ("A: static `Password=<jwt>`", new NpgsqlDataSourceBuilder(bed.ConnectionString(true, jwt).ConnectionString).Build()),
            ("J: `UseJwtSso` (generic OAuth source)", Build(bed, false, b => b.UseJwtSso(bed.Providers.Create("generic", bed.Time), o => o.AllowInsecureTransport = true, context.LoggerFactory))),
            ("B: Npgsql `UsePeriodicPasswordProvider` (55 min)", Build(bed, true, b => b.UsePeriodicPasswordProvider((_, ct) => naive.FetchAsync(ct), TimeSpan.FromMinutes(55), TimeSpan.FromSeconds(5)))),
            ("E: `UsePasswordProvider` → cached field", Build(bed, true, b => b.UsePasswordProvider(_ => cached, (_, _) => new ValueTask<string>(cached)))),
            ("N: `UsePasswordProvider` → naive HTTP fetch per open", Build(bed, true, b => b.UsePasswordProvider(_ => throw new NotSupportedException(), (_, ct) => naive.FetchAsync(ct)))),
        };

        try
        {
            foreach (var (_, source) in variants)
            {
                for (var i = 0; i < warmUp; i++)
                {
                    await OpenOnceAsync(source);
                }
            }

            var times = variants.Select(_ => new List<double>()).ToArray();
            var order = Enumerable.Range(0, variants.Count).ToArray();
            var random = new Random(7);
            bed.Issuer.ResetRequests();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < runFor)
            {
                random.Shuffle(order);
                foreach (var v in order)
                {
                    times[v].Add(await OpenOnceAsync(variants[v].Source));
                }
            }

            var naiveRequests = bed.Issuer.RequestCount(IssuerEndpointNames.Token);
            var cycles = times[0].Count;
            var o = context.Out;
            o.WriteLine($"### Scenario 2 — physical opens/s through the emulator, pooling off ({cycles:N0} interleaved cycles, {clock.Elapsed.TotalSeconds:F0} s, warm-up {warmUp} opens per variant)");
            o.WriteLine();
            o.WriteLine("| variant | opens/s | ratio vs A (95 % CI) | mean / median / p90 open µs | extra µs per open | IdP requests in the run |");
            o.WriteLine("|---|---|---|---|---|---|");
            var meanA = times[0].Average();
            for (var v = 0; v < variants.Count; v++)
            {
                var t = times[v];
                var (ratio, low, high) = Stats.RatioWithCi(times[0], t);
                var requests = v == 4 ? naiveRequests.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "0";
                o.WriteLine($"| {variants[v].Name} | {1e6 / t.Average():F0} | {(v == 0 ? "1.000" : $"**{ratio:F3}** ({low:F3}–{high:F3})")} | {t.Average():F0} / {Stats.Percentile(t, 0.5):F0} / {Stats.Percentile(t, 0.9):F0} | {t.Average() - meanA:+0;-0;0} | {requests} |");
            }

            o.WriteLine();
            o.WriteLine($"IdP requests: J and B fetched once before the measured cycles (warm-up); N made {naiveRequests:N0} requests for {cycles:N0} opens.");
            o.WriteLine();
        }
        finally
        {
            foreach (var (_, source) in variants)
            {
                await source.DisposeAsync();
            }
        }
    }

    private static NpgsqlDataSource Build(ScenarioBed bed, bool jwtOption, Action<NpgsqlDataSourceBuilder> configure)
    {
        var builder = new NpgsqlDataSourceBuilder(bed.ConnectionString(jwtOption).ConnectionString);
        configure(builder);
        return builder.Build();
    }

    /// <summary>One physical open: connect, startup, password, ReadyForQuery, then Terminate and close; in microseconds.</summary>
    private static async Task<double> OpenOnceAsync(NpgsqlDataSource source)
    {
        var start = Stopwatch.GetTimestamp();
        await using (await source.OpenConnectionAsync())
        {
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
}
