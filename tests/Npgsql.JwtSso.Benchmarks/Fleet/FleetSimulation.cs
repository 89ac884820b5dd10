using System.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.Redis;
using Npgsql.JwtSso.Redis.Internal;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Benchmarks.Fleet;

/// <summary>
/// A simulated fleet: N separate refresh engines (each with its own in-memory token and, when shared, its own
/// <see cref="RedisTokenCacheSource"/>), one real redis-server, one counting identity provider, all on one
/// <see cref="FakeTimeProvider"/>. Cold start all at once, then the simulated span with an open on every instance every
/// 10 s. The clock only moves once every engine is idle or waiting for the clock, so Redis round trips (real time) never
/// race the simulated time.
/// </summary>
internal sealed class FleetSimulation
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan OpenEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public required int Instances { get; init; }

    public required TimeSpan Span { get; init; }

    public required bool Shared { get; init; }

    public double Jitter { get; init; } = 0.1;

    /// <summary>Gets the simulated window during which redis-server is killed (restarted on the same port at its end).</summary>
    public (TimeSpan From, TimeSpan To)? Outage { get; init; }

    public required TestRedis Redis { get; init; }

    public async Task<FleetResult> RunAsync()
    {
        var clock = new FakeTimeProvider(Start);
        var issuer = new FleetIssuer(clock, Lifetime);
        var refresh = new JwtTokenCacheOptions { RefreshJitter = Jitter };
        var keyRing = new EphemeralDataProtectionProvider();
        var prefix = "fleet" + Guid.NewGuid().ToString("N")[..8] + ":";

        // A real fleet has a connection per instance; 8 shared by 200 simulated instances keep the machine usable.
        var connections = Enumerable.Range(0, 8).Select(_ => RedisConnections.ConnectAsync(Redis.Configuration)).ToArray();
        await Task.WhenAll(connections);
        var sources = new List<RedisTokenCacheSource?>();
        var caches = new List<JwtTokenCache>();
        for (var i = 0; i < Instances; i++)
        {
            var shared = Shared
                ? new RedisTokenCacheSource(issuer, connections[i % connections.Length], new RedisTokenCacheOptions { KeyPrefix = prefix, Issuer = FleetIssuer.Issuer, Audience = FleetIssuer.Audience }, refresh, keyRing, clock, null)
                : null;
            sources.Add(shared);
            caches.Add(new JwtTokenCache((JwtTokenSource?)shared ?? issuer, refresh, clock));
        }

        var result = new FleetResult { Instances = Instances, Shared = Shared };
        try
        {
            // Cold start: every instance opens at the same moment.
            var cold = caches.Select(c => c.GetTokenAsync().AsTask()).ToList();
            await DriveUntilAsync(clock, caches, sources, () => cold.All(t => t.IsCompleted), result);
            result.FailedOpens += cold.Count(t => !t.IsCompletedSuccessfully);
            result.ColdStartCalls = issuer.Calls;

            var outageStarted = false;
            var outageEnded = false;
            for (var at = OpenEvery; at <= Span; at += OpenEvery)
            {
                if (Outage is { } window && !outageStarted && at >= window.From)
                {
                    outageStarted = true;
                    await Redis.KillAsync();
                }

                if (Outage is { } w && outageStarted && !outageEnded && at >= w.To)
                {
                    outageEnded = true;
                    await Redis.StartAsync();

                    // Redis is back: the clients reconnect within seconds of real time, while the simulated clock waits.
                    var reconnect = Stopwatch.StartNew();
                    while (!connections.All(c => c.Result.IsConnected) && reconnect.Elapsed < TimeSpan.FromSeconds(30))
                    {
                        await Task.Delay(50);
                    }
                }

                await DriveUntilAsync(clock, caches, sources, () => clock.GetUtcNow() - Start >= at, result);
                await OpenAllAsync(clock, caches, sources, result);
            }
        }
        finally
        {
            foreach (var cache in caches)
            {
                await cache.DisposeAsync();
            }

            foreach (var connection in connections)
            {
                await (await connection).DisposeAsync();
            }
        }

        result.TotalCalls = issuer.Calls;
        result.CallTimes = [.. issuer.CallTimes.Select(t => t - Start)];
        return result;
    }

    private static async Task OpenAllAsync(FakeTimeProvider clock, List<JwtTokenCache> caches, List<RedisTokenCacheSource?> sources, FleetResult result)
    {
        var waiting = new List<Task<JwtToken>>();
        foreach (var cache in caches)
        {
            result.Opens++;
            if (!cache.TryGetToken(out var token))
            {
                result.OpensThatWaited++;
                waiting.Add(cache.GetTokenAsync().AsTask());
            }
            else if (token.ExpiresOn <= clock.GetUtcNow())
            {
                result.ExpiredHandedOut++;
            }
        }

        if (waiting.Count > 0)
        {
            await DriveUntilAsync(clock, caches, sources, () => waiting.All(t => t.IsCompleted), result);
            result.FailedOpens += waiting.Count(t => !t.IsCompletedSuccessfully);
        }
    }

    /// <summary>Advances the clock in steps until <paramref name="done"/>, letting all real-time work settle before each step.</summary>
    private static async Task DriveUntilAsync(FakeTimeProvider clock, List<JwtTokenCache> caches, List<RedisTokenCacheSource?> sources, Func<bool> done, FleetResult result)
    {
        while (true)
        {
            if (!await SettleAsync(caches, sources))
            {
                result.SettleGuardHits++;
            }

            if (done())
            {
                return;
            }

            // Small steps while someone polls for a lease holder's token, one second otherwise.
            var polling = sources.Any(s => s is { ClockWaits: > 0 });
            clock.Advance(polling ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<bool> SettleAsync(List<JwtTokenCache> caches, List<RedisTokenCacheSource?> sources)
    {
        var guard = Stopwatch.StartNew();
        while (guard.Elapsed < TimeSpan.FromSeconds(5))
        {
            var settled = true;
            for (var i = 0; i < caches.Count && settled; i++)
            {
                var refresher = caches[i].Refresher;
                var source = sources[i];
                settled = refresher.PendingFetch is null
                    || refresher.IsWaitingForClock
                    || (source is not null && source.ActiveCalls > 0 && source.RedisCalls == 0 && source.ClockWaits == source.ActiveCalls);
            }

            if (settled)
            {
                return true;
            }

            await Task.Delay(1);
        }

        return false;
    }
}

internal sealed class FleetResult
{
    public int Instances { get; init; }

    public bool Shared { get; init; }

    public int ColdStartCalls { get; set; }

    public int TotalCalls { get; set; }

    public long Opens { get; set; }

    public long OpensThatWaited { get; set; }

    public long FailedOpens { get; set; }

    public long ExpiredHandedOut { get; set; }

    public int SettleGuardHits { get; set; }

    public IReadOnlyList<TimeSpan> CallTimes { get; set; } = [];

    /// <summary>The most IdP calls in any window of one refresh period (30 min = RefreshAt 0.5 of 1 h), after the cold start.</summary>
    public int MaxCallsPerRefreshPeriod(TimeSpan period)
    {
        var after = CallTimes.Where(t => t > TimeSpan.Zero).Order().ToList();
        var max = 0;
        for (int i = 0, j = 0; i < after.Count; i++)
        {
            while (after[i] - after[j] >= period)
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }
}
