using System.Net.Http;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

/// <summary>A failure shared by many callers must not become one exception object whose stack trace grows with each await.</summary>
public sealed class JwtTokenCacheCallerExceptionTests
{
    // One caller's ToString(): its own frames plus the cause's, captured once. Measured about 2,000 characters; the
    // shared exception of the old engine reached 300,000 for 1,000 callers.
    private const int MaxCallerExceptionLength = 6_000;

    [Fact]
    public async Task ThousandConcurrentCallers_FailingDelegateSource_EachGetsOwnSmallExceptionAroundOneCause()
    {
        var time = new TestTime();
        var source = new DelegateTokenSource(async ValueTask<string> (ct) =>
        {
            await Task.Yield();
            throw new HttpRequestException("identity provider unreachable");
        }, "failing");
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var calls = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await cache.GetTokenAsync())).ToArray();
        var errors = new List<JwtSsoException>();
        foreach (var call in calls)
        {
            errors.Add(await Assert.ThrowsAsync<JwtSsoException>(() => call.WaitAsync(TestTime.HangGuard)));
        }

        // Once more after all of them: the cached failure must not have grown either.
        errors.Add(await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask()));

        var longest = errors.Max(e => e.ToString().Length);
        Assert.True(longest < MaxCallerExceptionLength, $"a caller's exception is {longest} characters long");
        Assert.Equal(errors.Count, errors.Distinct().Count());
        var cause = Assert.IsType<HttpRequestException>(errors[0].InnerException);
        Assert.All(errors, e => Assert.Same(cause, e.InnerException));
        Assert.All(errors, e => Assert.Equal(JwtSsoErrorKind.SourceFailed, e.Kind));
        Assert.All(errors, e => Assert.StartsWith("failing:", e.Message, StringComparison.Ordinal));
    }
}
