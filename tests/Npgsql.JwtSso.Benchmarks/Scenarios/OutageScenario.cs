using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: the IdP's token endpoint answers 503 for half a token's lifetime (30 min of 1 h) while the app keeps
/// opening physical connections (one every 15 s, simulated clock shared by issuer, cache and emulator, real opens
/// through Npgsql and the emulator). Counts failed opens and the IdP calls made during the outage.
/// </summary>
public static class OutageScenario
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(30);

    public static async Task RunAsync(ScenarioContext context)
    {
        var o = context.Out;
        var span = context.Quick ? TimeSpan.FromMinutes(75) : TimeSpan.FromHours(3);
        o.WriteLine($"### Scenario 5 — IdP outage of 30 min (half a 1 h token's lifetime), one physical open every {Step.TotalSeconds:F0} s for {span.TotalHours:F2} h simulated");
        o.WriteLine();
        o.WriteLine("| client | outage starts | opens | failed opens | failed during outage | IdP calls during outage | IdP calls in total |");
        o.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var provider in context.Quick ? new[] { "generic" } : ["generic", "gcp", "okta"])
        {
            await RowAsync(context, provider, TimeSpan.Zero, span);
            if (!context.Quick)
            {
                await RowAsync(context, provider, TimeSpan.FromMinutes(10), span);
            }
        }

        if (!context.Quick)
        {
            await RowAsync(context, "generic", TimeSpan.Zero, span, refreshAt: 0.45);
        }

        await RowAsync(context, null, TimeSpan.Zero, span);
        o.WriteLine();
    }

    /// <param name="provider">The provider behind <c>UseJwtSso</c>, or null for the naive per-open fetch.</param>
    /// <param name="afterRefresh">How long after the first scheduled refresh point the outage starts (zero: exactly at it, the worst case).</param>
    /// <param name="refreshAt">The <see cref="JwtTokenCacheOptions.RefreshAt"/> fraction.</param>
    private static async Task RowAsync(ScenarioContext context, string? provider, TimeSpan afterRefresh, TimeSpan span, double refreshAt = 0.5)
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var bed = await ScenarioBed.StartAsync(context, time);
        await context.Postgres.CreateRoleAsync(ScenarioBed.User);
        var endpoint = provider is null ? IssuerEndpointNames.Token : ProviderKit.TokenEndpointName(provider);
        using var naive = new NaiveFetch(bed.TokenEndpoint, context);
        JwtTokenCache? cache = null;
        var builder = new NpgsqlDataSourceBuilder(bed.ConnectionString(jwtOption: provider is null).ConnectionString);
        if (provider is null)
        {
            builder.UsePasswordProvider(_ => throw new NotSupportedException(), (_, ct) => naive.FetchAsync(ct));
        }
        else
        {
            cache = new JwtTokenCache(bed.Providers.Create(provider, time), new JwtTokenCacheOptions { RefreshAt = refreshAt }, time, context.LoggerFactory);
            builder.UseLoggerFactory(context.LoggerFactory).UseJwtSso(
                cache,
                o =>
                {
                    o.AllowInsecureTransport = true;
                    o.IdentityMap = bed.Providers.IdentityMap;
                },
                context.LoggerFactory);
        }

        await using var source = builder.Build();
        try
        {
            await OpenAsync(source); // warm-up
            var firstRefresh = cache?.GetStatus().NextRefreshAt ?? FakeClock.Start + TimeSpan.FromMinutes(30);
            var outageStart = firstRefresh + afterRefresh;
            var outageEnd = outageStart + Outage;
            var opens = 0;
            var failed = 0;
            var failedInOutage = 0;
            var callsBefore = 0;
            var callsDuring = 0;
            var state = 0; // 0 before, 1 during, 2 after
            for (var t = TimeSpan.Zero; t < span; t += Step)
            {
                var next = time.GetUtcNow() + Step;
                if (state == 0 && next >= outageStart)
                {
                    callsBefore = bed.Issuer.RequestCount(endpoint);
                    bed.Issuer.Faults.Set(endpoint, IssuerFault.ServerError(503));
                    state = 1;
                }
                else if (state == 1 && next >= outageEnd)
                {
                    bed.Issuer.Faults.Clear(endpoint);
                    callsDuring = bed.Issuer.RequestCount(endpoint) - callsBefore;
                    state = 2;
                }

                time.Advance(Step);
                opens++;
                if (!await OpenAsync(source, context, cache, time))
                {
                    failed++;
                    failedInOutage += state == 1 ? 1 : 0;
                }

                if (cache is not null)
                {
                    await FakeClock.SettleAsync(cache, time);
                }
            }

            var who = provider is null ? "naive per-open HTTP fetch" : $"`UseJwtSso` + {provider}, RefreshAt = {refreshAt}";
            var when = provider is null ? "at minute 30" : afterRefresh == TimeSpan.Zero ? "at the refresh point (worst case)" : $"{afterRefresh.TotalMinutes:F0} min after the refresh point";
            context.Out.WriteLine($"| {who} | {when} | {opens} | **{failed}** | {failedInOutage} | {callsDuring} | {bed.Issuer.RequestCount(endpoint)} |");
        }
        finally
        {
            if (cache is not null)
            {
                await cache.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One open. With no usable token an open waits for the engine's next attempt (bounded by AcquireTimeout on the
    /// fake clock): while the engine waits for that clock, it is advanced in 1 s steps, as real time would pass.
    /// </summary>
    private static async Task<bool> OpenAsync(NpgsqlDataSource source, ScenarioContext? context = null, JwtTokenCache? cache = null, FakeTimeProvider? time = null)
    {
        var open = source.OpenConnectionAsync().AsTask();
        while (cache is not null && time is not null && !open.IsCompleted)
        {
            if (cache.Refresher.IsWaitingForClock)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            await Task.WhenAny(open, Task.Delay(1));
        }

        try
        {
            await using (await open)
            {
            }

            return true;
        }
        catch (Exception e) when (context is not null)
        {
            context.Record(e);
            return false;
        }
    }
}
