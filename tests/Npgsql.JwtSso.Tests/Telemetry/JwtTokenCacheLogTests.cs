using System.Net.Http;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Tests.Refresh;
using Xunit;

namespace Npgsql.JwtSso.Tests.Telemetry;

public sealed class JwtTokenCacheLogTests
{
    [Fact]
    public async Task TokenWithoutExp_ManyLookups_WarnsOncePerToken()
    {
        var logs = new RecordingLoggerFactory();
        var time = new TestTime();
        var source = new FakeTokenSource(time, "no-exp") { Handler = (_, _) => new(JwtToken.Parse(TestJwt.Create(new { sub = "bot" }))) };
        using var cache = new JwtTokenCache(source, timeProvider: time, loggerFactory: logs);

        for (var i = 0; i < 100; i++)
        {
            await cache.GetTokenAsync();
        }

        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 3);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("'no-exp'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("AssumedLifetime", warning.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();
        Assert.Equal(2, logs.Entries.Count(e => e.Id.Id == 3));
    }

    [Fact]
    public async Task RefreshFails_WithUsableToken_LogsFailureWithRetryAndStaleServing()
    {
        var logs = new RecordingLoggerFactory();
        var time = new TestTime();
        var source = new FakeTokenSource(time, "flaky") { Handler = (n, _) => n == 2 ? throw new HttpRequestException("down") : new(time.Token(TimeSpan.FromHours(1))) };
        using var cache = new JwtTokenCache(source, new JwtSsoOptions { MinRetryDelay = TimeSpan.FromSeconds(3) }, time, logs);
        var token = await cache.GetTokenAsync();

        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();

        // Waiters are completed before anything is logged, so the log trails the awaited fetch: wait for its entry.
        await logs.WaitForAsync(e => e.Id.Id == 4);

        var failed = Assert.Single(logs.Entries, e => e.Id.Id == 2);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains("'flaky'", failed.Message, StringComparison.Ordinal);
        Assert.Contains(time.GetUtcNow().AddSeconds(3).ToString("u", System.Globalization.CultureInfo.InvariantCulture), failed.Message, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", failed.Exception?.ToString(), StringComparison.Ordinal);
        var stale = Assert.Single(logs.Entries, e => e.Id.Id == 4);
        Assert.Contains(token.Fingerprint, stale.Message, StringComparison.Ordinal);
    }
}
