using System.Net.Http;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Tests.Refresh;
using Xunit;

namespace Npgsql.JwtSso.Tests.Telemetry;

public sealed class JwtTokenCacheRedactionTests
{
    [Fact]
    public async Task AllPaths_SuccessFailureOutageInvalidation_TokenTextNeverInLogsMetricsTracesOrErrors()
    {
        var name = $"redact-{Guid.NewGuid():N}";
        using var capture = new TelemetryCapture(name);
        var logs = new RecordingLoggerFactory();
        var time = new TestTime();
        var minted = new List<JwtToken>();
        var errors = new List<string>();
        var script = new Queue<Func<JwtToken>>();
        JwtToken Mint(TimeSpan lifetime)
        {
            var token = time.Token(lifetime, sub: "redaction-bot");
            minted.Add(token);
            return token;
        }

        script.Enqueue(() => Mint(TimeSpan.FromHours(1)));                                    // success
        script.Enqueue(() => throw new HttpRequestException("identity provider unreachable")); // outage: refresh fails
        script.Enqueue(() => throw new TimeoutException("still down"));                       // outage continues
        script.Enqueue(() => Mint(TimeSpan.FromHours(1)));                                    // recovery
        script.Enqueue(() => Mint(TimeSpan.FromHours(1)));                                    // after invalidation
        script.Enqueue(() =>
        {
            var noExp = JwtToken.Parse(TestJwt.Create(new { sub = "redaction-bot", iss = "https://issuer.example" }));
            minted.Add(noExp);
            return noExp;
        });
        script.Enqueue(() =>
        {
            var expired = JwtToken.Parse(TestJwt.WithExpiry(time.GetUtcNow().AddHours(-3), TimeSpan.FromHours(1)));
            minted.Add(expired);
            return expired;
        });
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => new(script.Dequeue()()) };
        var options = new JwtSsoOptions { MinRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(5), RateLimitWindow = TimeSpan.Zero };
        using var cache = new JwtTokenCache(source, options, time, logs);

        var first = await cache.GetTokenAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();                     // fails: stale-but-usable served
        Assert.Same(first, await cache.GetTokenAsync());
        errors.Add(cache.GetStatus().ToString());
        time.Advance(TimeSpan.FromSeconds(5));
        await cache.FetchAsync();                     // fails again
        time.Advance(TimeSpan.FromSeconds(10));
        await cache.FetchAsync();                     // recovers
        var recovered = await cache.GetTokenAsync();
        cache.Invalidate(recovered);                  // the cluster rejected it
        await cache.GetTokenAsync();
        await cache.ForceRefreshAsync();              // token without exp
        var invalid = await Assert.ThrowsAsync<JwtSsoException>(() => cache.ForceRefreshAsync().AsTask());
        errors.Add(invalid.ToString());
        errors.Add(cache.GetStatus().ToString());
        capture.Observe();

        Assert.Equal(7, source.Calls);
        var events = logs.Entries.Select(e => e.Id.Id).ToHashSet();
        Assert.Superset(new HashSet<int> { 1, 2, 3, 4, 5, 6 }, events); // fetched, failed, no exp, stale, invalidated, calling
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(first.Fingerprint, StringComparison.Ordinal));
        Assert.NotEmpty(capture.Measurements);
        Assert.NotEmpty(capture.Activities);

        var everything = logs.Texts.Concat(capture.Texts).Concat(errors).ToList();
        Assert.Equal(7, minted.Count + 2); // 5 tokens minted, 2 failures
        foreach (var token in minted)
        {
            var secrets = token.Value.Split('.').Append(token.Value);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(everything, text => text.Contains(secret, StringComparison.Ordinal));
            }
        }
    }
}
