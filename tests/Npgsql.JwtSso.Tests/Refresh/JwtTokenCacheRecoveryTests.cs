using System.Net.Http;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public class JwtTokenCacheRecoveryTests
{
    [Fact]
    public async Task Outage_NoUsableTokenLeft_RetriesAtTheRateLimitPaceAndRecoversWithinIt()
    {
        var time = new TestTime();
        var down = true;
        var source = new FakeTokenSource(time) { Handler = (_, _) => down ? throw new HttpRequestException("down") : new(time.Token(TimeSpan.FromHours(1))) };
        var options = new JwtTokenCacheOptions { MinRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromMinutes(2) }; // rate limit: 3 per 30 s
        using var cache = new JwtTokenCache(source, options, time);
        await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        // Ten minutes without any token: the backoff alone would grow to 2 min; with nothing to serve it stays at 10 s.
        for (var i = 0; i < 600; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.FetchAsync();
        }

        var calls = source.CallTimes.ToArray();
        var gaps = calls.Zip(calls.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps.Skip(3), g => Assert.InRange(g, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(11)));
        Assert.InRange(source.Calls, 600 / 11, 3 + (600 / 10) + 3); // never more than the rate limit allows

        down = false;
        for (var i = 0; i < 11 && !cache.TryGetToken(out _); i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await cache.FetchAsync();
        }

        Assert.True(cache.TryGetToken(out _), "the cache should recover within one capped retry interval of the provider coming back");
    }
}
