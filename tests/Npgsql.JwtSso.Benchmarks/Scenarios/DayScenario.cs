using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: a simulated day (FakeTimeProvider shared by the issuer and the cache) with 1 h tokens and one open
/// every 10 s through <see cref="JwtTokenCache"/>: IdP calls, and opens that had to wait for the IdP after warm-up.
/// An open "waits" when <see cref="JwtTokenCache.TryGetToken"/> misses, which is exactly when the password callback
/// would go to the source.
/// </summary>
public static class DayScenario
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(ScenarioContext context)
    {
        var span = context.Quick ? TimeSpan.FromHours(3) : TimeSpan.FromHours(24);
        var o = context.Out;
        o.WriteLine($"### Scenario 4 — simulated {span.TotalHours:F0} h, 1 h tokens, one open every {Step.TotalSeconds:F0} s ({span / Step:N0} opens)");
        o.WriteLine();
        o.WriteLine("| provider / settings | IdP calls | opens that waited on the IdP after warm-up | expired tokens handed out | settle guard hits |");
        o.WriteLine("|---|---|---|---|---|");
        foreach (var provider in new[] { "generic", "gcp", "okta" })
        {
            await RowAsync(context, provider, span, 0.5);
        }

        await RowAsync(context, "generic", span, 0.95);
        await NaiveRowAsync(context, span);
        o.WriteLine();
        o.WriteLine("Azure is left out here: MSAL keeps its own cache on the real clock, so it cannot be driven through a simulated day.");
        o.WriteLine();
    }

    private static async Task RowAsync(ScenarioContext context, string provider, TimeSpan span, double refreshAt)
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var bed = await ScenarioBed.StartAsync(context, time);
        var options = new JwtTokenCacheOptions { RefreshAt = refreshAt };
        await using var cache = new JwtTokenCache(bed.Providers.Create(provider, time), options, time, context.LoggerFactory);
        await cache.GetTokenAsync(); // warm-up: the one cold fetch
        var waited = 0;
        var expired = 0;
        var guardHits = 0;
        for (var t = TimeSpan.Zero; t < span; t += Step)
        {
            time.Advance(Step);
            if (!cache.TryGetToken(out var token))
            {
                waited++;
                token = await cache.GetTokenAsync();
            }

            if (token.ExpiresOn <= time.GetUtcNow())
            {
                expired++;
            }

            if (!await FakeClock.SettleAsync(cache, time))
            {
                guardHits++;
            }
        }

        var calls = bed.Issuer.RequestCount(ProviderKit.TokenEndpointName(provider));
        context.Out.WriteLine($"| `JwtTokenCache` + {provider}, RefreshAt = {refreshAt} | **{calls}** | **{waited}** | {expired} | {guardHits} |");
    }

    private static async Task NaiveRowAsync(ScenarioContext context, TimeSpan span)
    {
        var time = new FakeTimeProvider(FakeClock.Start);
        await using var bed = await ScenarioBed.StartAsync(context, time);
        using var naive = new NaiveFetch(bed.TokenEndpoint, context);
        var opens = 0;
        for (var t = TimeSpan.Zero; t < span; t += Step)
        {
            time.Advance(Step);
            await naive.FetchAsync(CancellationToken.None);
            opens++;
        }

        context.Out.WriteLine($"| naive per-open HTTP fetch | **{bed.Issuer.RequestCount(Testing.IssuerEndpointNames.Token):N0}** | {opens:N0} (every open) | 0 | – |");
    }
}
