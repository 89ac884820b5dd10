using System.Text;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using Xunit;

namespace Npgsql.JwtSso.Redis.Tests;

/// <summary>No token text in Redis keys, Redis values (encrypted), logs (any level) or metric tags.</summary>
[Collection(RedisCollection.Name)]
public sealed class SecretsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task TokenText_NeverInKeysValuesLogsOrMetrics()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        using var capture = new Capture();
        var issuer = new CountingSource(clock, "secret-check");
        var tokens = new List<JwtToken>();

        // Every path: fetch and write, read, stale, bad entry dropped, lease waited out, Redis failure fallback.
        var a = bed.Decorate(issuer, clock, logs: capture);
        tokens.Add(await a.GetTokenAsync(CancellationToken.None));
        tokens.Add(await bed.Decorate(issuer, clock, logs: capture).GetTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(31));
        tokens.Add(await bed.Decorate(issuer, clock, logs: capture).GetTokenAsync(CancellationToken.None));
        var db = await bed.DatabaseAsync();
        var keys = (await bed.ServerAsync()).Keys(pattern: bed.Prefix + "*").Select(k => k.ToString()).ToList();
        var values = new List<byte[]>();
        foreach (var key in keys)
        {
            values.Add((byte[])(await db.StringGetAsync(key))!);
        }

        await db.StringSetAsync(a.Key.Token, new Internal.TokenEntryCodec(null).Encode(issuer.Mint(), clock.GetUtcNow()));
        tokens.Add(await bed.Decorate(issuer, clock, logs: capture).GetTokenAsync(CancellationToken.None));
        var wrongIssuer = bed.Decorate(new CountingSource(clock, "secret-check", issuer: "https://else.example"), clock, o => o.ClientId = "x", logs: capture);
        tokens.Add(await wrongIssuer.GetTokenAsync(CancellationToken.None));

        Assert.NotEmpty(keys);
        Assert.NotEmpty(capture.Logs);
        foreach (var token in tokens)
        {
            var parts = token.Value.Split('.');
            foreach (var secret in new[] { token.Value, parts[1], parts[2] })
            {
                Assert.DoesNotContain(keys, k => k.Contains(secret, StringComparison.Ordinal));
                Assert.DoesNotContain(values, v => Encoding.UTF8.GetString(v).Contains(secret, StringComparison.Ordinal));
                Assert.DoesNotContain(capture.Logs, l => l.Text.Contains(secret, StringComparison.Ordinal));
                Assert.DoesNotContain(capture.Measurements, m => m.Tags.Any(t => t.Value?.Contains(secret, StringComparison.Ordinal) == true));
            }
        }
    }

    [Fact]
    public void ToString_NamesTheSourceOnly()
    {
        var clock = new TestClock();
        using var connection = StackExchange.Redis.ConnectionMultiplexer.Connect($"127.0.0.1:{redis.Server.Port}");
        var source = new RedisTokenCacheSource(
            new CountingSource(clock, "idp"),
            connection,
            new RedisTokenCacheOptions { Issuer = Jwts.Issuer, Audience = Jwts.Audience, AllowUnencryptedTokens = true });
        Assert.Equal("idp (shared through Redis)", source.ToString());
        Assert.Equal("idp", source.Name);
    }
}
