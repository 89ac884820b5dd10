using System.Collections.Concurrent;
using System.Net.Http;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql.JwtSso.Tests.Refresh;
using Xunit;

namespace Npgsql.JwtSso.Tests.Telemetry;

/// <summary>Misbehaving sources and loggers must not change outcomes, hang waiters or leak unobserved exceptions.</summary>
public sealed class JwtTokenCacheRobustnessTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task SourceIgnoringCancellation_FailsAfterSourceTimeout_NoUnobservedTaskExceptionAndCountedAsAbandoned()
    {
        var name = $"abandoned-{Guid.NewGuid():N}";
        var marker = $"late failure {Guid.NewGuid():N}";
        var unobserved = new ConcurrentQueue<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> handler = (_, e) =>
        {
            if (e.Exception.ToString().Contains(marker, StringComparison.Ordinal))
            {
                unobserved.Enqueue(e.Exception);
            }
        };
        TaskScheduler.UnobservedTaskException += handler;
        try
        {
            using var capture = new TelemetryCapture(name);
            var release = new TaskCompletionSource();
            await RunAbandonedFetchAsync(name, marker, release);
            release.SetResult(); // the abandoned source call now fails, long after the engine gave up on it

            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Empty(unobserved);
            Assert.Equal([1.0], capture.Values("jwtsso.token.fetch.abandoned"));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= handler;
        }
    }

    [Fact]
    public async Task ThrowingLogger_SuccessfulFetch_StillServesTheToken()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time, loggerFactory: new ThrowingLoggerFactory());

        var token = await cache.GetTokenAsync().AsTask().WaitAsync(TestTime.HangGuard);

        Assert.NotNull(token);
        Assert.True(cache.GetStatus().HasUsableToken);
        Assert.Equal(0, cache.GetStatus().ConsecutiveFailures);
    }

    [Fact]
    public async Task ThrowingLogger_FailedFetch_WaitersGetTheSourcesFailurePromptly()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, "down") { Handler = (_, _) => throw new HttpRequestException("unreachable") };
        using var cache = new JwtTokenCache(source, timeProvider: time, loggerFactory: new ThrowingLoggerFactory());

        var waiters = Enumerable.Range(0, 5).Select(_ => cache.GetTokenAsync().AsTask()).ToArray();

        foreach (var waiter in waiters)
        {
            var ex = await Assert.ThrowsAsync<JwtSsoException>(() => waiter.WaitAsync(TestTime.HangGuard));
            Assert.IsType<HttpRequestException>(ex.InnerException);
        }

        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task ThrowingLogger_BackgroundRefreshWhileServing_StillRefreshes()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(Hour)) };
        using var cache = new JwtTokenCache(source, timeProvider: time, loggerFactory: new ThrowingLoggerFactory());
        var first = await cache.GetTokenAsync();

        time.Advance(TimeSpan.FromMinutes(30));
        await cache.FetchAsync();

        Assert.True(cache.TryGetToken(out var second));
        Assert.NotSame(first, second);
        Assert.Equal(2, source.Calls);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task RunAbandonedFetchAsync(string name, string marker, TaskCompletionSource release)
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time, name) { Handler = (_, _) => IgnoreCancellationAsync(release.Task, marker) };
        var options = new JwtTokenCacheOptions { SourceTimeout = TimeSpan.FromSeconds(5), AcquireTimeout = TimeSpan.FromMinutes(1) };
        using var cache = new JwtTokenCache(source, options, time);

        var waiter = cache.GetTokenAsync().AsTask();
        await time.WaitForTimerAsync(due => due == options.SourceTimeout);
        time.Advance(options.SourceTimeout);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => waiter.WaitAsync(TestTime.HangGuard));
        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
    }

    private static async ValueTask<JwtToken> IgnoreCancellationAsync(Task release, string marker)
    {
        await release;
        throw new InvalidOperationException(marker);
    }

    private sealed class ThrowingLoggerFactory : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new ThrowingLogger();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class ThrowingLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => throw new InvalidOperationException("the logging pipeline is broken");
        }
    }
}
