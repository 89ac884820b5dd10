using System.Diagnostics;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: N concurrent cold opens (all physical, held until every one has opened) through a fresh data source
/// per row; counts token-endpoint calls at the issuer (anchor-figures.md §5, with 1,000 instead of 200).
/// </summary>
public static class StampedeScenario
{
    public static async Task RunAsync(ScenarioContext context, int? concurrency = null)
    {
        var n = concurrency ?? (context.Quick ? 50 : 1000);
        await using var bed = await ScenarioBed.StartAsync(context);
        await context.Postgres.CreateRoleAsync(ScenarioBed.User);
        var o = context.Out;
        o.WriteLine($"### Scenario 3 — {n:N0} concurrent cold opens → IdP calls");
        o.WriteLine();
        o.WriteLine("| provider | token-endpoint calls | all IdP requests | opens ok / failed | wall time until all open |");
        o.WriteLine("|---|---|---|---|---|");
        foreach (var provider in ProviderKit.Names)
        {
            await RowAsync(context, bed, $"`UseJwtSso` + {provider}", ProviderKit.TokenEndpointName(provider), n, jwtOption: false, b =>
                b.UseLoggerFactory(context.LoggerFactory).UseJwtSso(bed.Providers.Create(provider, bed.Time), opt =>
                {
                    opt.AllowInsecureTransport = true;
                    opt.IdentityMap = bed.Providers.IdentityMap;
                }, context.LoggerFactory));
        }

        using var naive = new NaiveFetch(bed.TokenEndpoint, context);
        await RowAsync(context, bed, "naive per-open HTTP fetch (`UsePasswordProvider`)", IssuerEndpointNames.Token, n, jwtOption: true, b =>
            b.UsePasswordProvider(_ => throw new NotSupportedException(), (_, ct) => naive.FetchAsync(ct)));
        await RowAsync(context, bed, "Npgsql `UsePeriodicPasswordProvider` over the naive fetch", IssuerEndpointNames.Token, n, jwtOption: true, b =>
            b.UsePeriodicPasswordProvider((_, ct) => naive.FetchAsync(ct), TimeSpan.FromMinutes(55), TimeSpan.FromSeconds(5)));
        o.WriteLine();
    }

    private static async Task RowAsync(ScenarioContext context, ScenarioBed bed, string name, string endpoint, int n, bool jwtOption, Action<NpgsqlDataSourceBuilder> configure)
    {
        bed.Issuer.ResetRequests();
        var builder = new NpgsqlDataSourceBuilder(bed.ConnectionString(jwtOption).ConnectionString);
        configure(builder);
        await using var source = builder.Build();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allOpened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var settled = 0;
        var failed = 0;
        var tasks = Enumerable.Range(0, n).Select(async _ =>
        {
            await gate.Task;
            NpgsqlConnection? connection = null;
            try
            {
                connection = await source.OpenConnectionAsync();
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                context.Record(e);
            }

            if (Interlocked.Increment(ref settled) == n)
            {
                allOpened.SetResult();
            }

            await allOpened.Task;
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }).ToArray();

        await Task.Delay(200);
        var clock = Stopwatch.StartNew();
        gate.SetResult();
        await allOpened.Task;
        var wall = clock.Elapsed;
        await Task.WhenAll(tasks);
        context.Out.WriteLine($"| {name} | **{bed.Issuer.RequestCount(endpoint)}** | {bed.Issuer.GetRequests().Count} | {n - failed} / {failed} | {wall.TotalMilliseconds:F0} ms |");
        if (failed > 0)
        {
            lock (context.Exceptions)
            {
                context.Out.WriteLine($"|   first failure: {context.Exceptions[^1].GetType().Name}: {context.Exceptions[^1].Message.Split('\n')[0]} | | | | |");
            }
        }
    }
}
