using System.Collections.Concurrent;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtTokenCacheSyncTests
{
    [Fact]
    public async Task GetToken_MissUnderSingleThreadedContext_DoesNotDeadlock()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time)
        {
            // A source that resumes on the captured context, as sloppy async code does.
            Handler = async (_, _) =>
            {
                await Task.Yield();
                return time.Token(TimeSpan.FromHours(1));
            },
        };
        using var cache = new JwtTokenCache(source, timeProvider: time);

        var token = await SingleThreadedContext.RunAsync(() => cache.GetToken()).WaitAsync(TestTime.HangGuard);

        Assert.NotNull(token);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task GetToken_SourceNeverCompletes_TimesOutAfterAcquireTimeout()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time);
        var acquire = TimeSpan.FromSeconds(7);
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { AcquireTimeout = acquire, SourceTimeout = TimeSpan.FromHours(1) }, time);

        var caller = SingleThreadedContext.RunAsync(() => cache.GetToken());
        await source.NextCallAsync();
        await time.WaitForTimerAsync(d => d == acquire);
        time.Advance(acquire);
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => caller.WaitAsync(TestTime.HangGuard));

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task GetToken_CachedToken_ServedWithoutWaiting()
    {
        var time = new TestTime();
        var source = new FakeTokenSource(time) { Handler = (_, _) => new(time.Token(TimeSpan.FromHours(1))) };
        using var cache = new JwtTokenCache(source, timeProvider: time);
        var cached = await cache.GetTokenAsync();

        Assert.Same(cached, cache.GetToken());
        Assert.Equal(1, source.Calls);
    }

    /// <summary>A SynchronizationContext with one dedicated thread that runs posted work in order, like a UI thread.</summary>
    private sealed class SingleThreadedContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

        public static Task<T> RunAsync<T>(Func<T> work)
        {
            var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            var context = new SingleThreadedContext();
            var thread = new Thread(() =>
            {
                SetSynchronizationContext(context);
                context.Post(
                    _ =>
                    {
                        try
                        {
                            result.SetResult(work());
                        }
                        catch (Exception ex)
                        {
                            result.SetException(ex);
                        }
                        finally
                        {
                            context._queue.CompleteAdding();
                        }
                    },
                    null);
                foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
                {
                    callback(state);
                }
            })
            {
                IsBackground = true,
            };
            thread.Start();
            return result.Task;
        }

        public override void Post(SendOrPostCallback d, object? state)
        {
            // After the work item finished nobody runs posted continuations any more; that is the point of the test.
            try
            {
                _queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();
    }
}
