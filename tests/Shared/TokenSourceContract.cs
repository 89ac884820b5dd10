using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// The contract every <see cref="JwtTokenSource"/> passes: derive a test class per source and implement the three
/// factories. The facts cover caching through <see cref="JwtTokenCache"/>, cancellation, the shape of failures and
/// that no token text (or other secret) ever shows in names, <c>ToString()</c> or exceptions.
/// </summary>
public abstract class TokenSourceContract
{
    /// <summary>How long a test waits for something that should happen at once, before declaring a hang.</summary>
    protected static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Creates a source whose fetches succeed. When the source can return the given text (a file, a fake endpoint),
    /// it should; otherwise override <see cref="ReturnsGivenToken"/>.
    /// </summary>
    /// <param name="token">A fresh JWT made by <see cref="TestJwt.Contract"/>.</param>
    protected abstract ValueTask<JwtTokenSource> CreateSucceedingAsync(string token);

    /// <summary>
    /// Creates a source whose next fetch fails with a <see cref="JwtSsoException"/>, with <paramref name="secret"/>
    /// within its reach (returned as garbage text, printed on standard error, put into an HTTP error body…), so the
    /// suite can prove it is not leaked. A source that validates eagerly may instead throw the exception here.
    /// </summary>
    /// <param name="secret">A JWT-shaped secret.</param>
    protected abstract ValueTask<JwtTokenSource> CreateFailingAsync(string secret);

    /// <summary>
    /// Creates a source whose next fetch waits until cancelled, and a task that completes once the fetch is waiting
    /// (for example when the fake endpoint received the request). Return <see langword="null"/> only for a source that
    /// never waits on anything (it reads memory or the environment): the suite then checks that its fetch completes
    /// synchronously, so there is nothing to cancel. A source that reads a file, runs a program or calls an endpoint can
    /// hang (a FIFO without data, a program waiting for input, an endpoint that never answers) and must return one.
    /// </summary>
    protected abstract ValueTask<HangingSource?> CreateHangingAsync();

    /// <summary>Gets a value indicating whether the succeeding source returns exactly the token given to <see cref="CreateSucceedingAsync"/>.</summary>
    protected virtual bool ReturnsGivenToken => true;

    /// <summary>Gets the start of the fake clock the cache runs on; it must lie within the succeeding token's lifetime.</summary>
    protected virtual DateTimeOffset ClockStart => TestJwt.ContractIssuedAt;

    [Fact]
    public async Task GetTokenAsync_SucceedingSource_ReturnsParsedJwt()
    {
        var text = TestJwt.Contract();
        var source = await CreateSucceedingAsync(text);

        var token = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

        Assert.NotNull(token);
        Assert.Equal(3, token.Value.Split('.').Length);
        if (ReturnsGivenToken)
        {
            Assert.Equal(text, token.Value);
        }
    }

    [Fact]
    public async Task GetTokenAsync_ThroughCacheManyTimes_CallsSourceOnce()
    {
        var counting = new CountingSource(await CreateSucceedingAsync(TestJwt.Contract()));
        var cache = new JwtTokenCache(counting, null, new FakeTimeProvider(ClockStart));
        try
        {
            var first = await cache.GetTokenAsync().AsTask().WaitAsync(HangGuard);
            var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetTokenAsync().AsTask())).WaitAsync(HangGuard);
            for (var i = 0; i < 4; i++)
            {
                Assert.Same(first, await cache.GetTokenAsync().AsTask().WaitAsync(HangGuard));
            }

            Assert.All(concurrent, t => Assert.Same(first, t));
            Assert.Equal(1, counting.Calls);
        }
        finally
        {
            await cache.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetTokenAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        var source = await CreateSucceedingAsync(TestJwt.Contract());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.GetTokenAsync(cts.Token).AsTask().WaitAsync(HangGuard));
    }

    [Fact]
    public async Task GetTokenAsync_HangingFetchCancelled_ThrowsOperationCanceledPromptly()
    {
        var hanging = await CreateHangingAsync();
        if (hanging is null)
        {
            // The derived class states that its source never waits (it reads memory or the environment): then a fetch
            // must finish within the call itself, leaving nothing for a cancellation to interrupt, and a cancellation
            // requested after it finished must not change its outcome.
            var source = await CreateSucceedingAsync(TestJwt.Contract());
            using var late = new CancellationTokenSource();
            var pending = source.GetTokenAsync(late.Token);
            Assert.True(pending.IsCompleted, $"{source.Name}: CreateHangingAsync returned null (the source never waits), but its fetch did not complete synchronously; return a hanging source instead.");
            await late.CancelAsync();
            Assert.Equal(3, (await pending).Value.Split('.').Length);
            return;
        }

        using var cts = new CancellationTokenSource();
        var fetch = hanging.Source.GetTokenAsync(cts.Token).AsTask();
        await Task.WhenAny(hanging.Waiting, fetch).WaitAsync(HangGuard);
        Assert.False(fetch.IsCompleted, "The hanging source completed before it was cancelled.");

        await cts.CancelAsync();

        // The guard only detects a source that ignores cancellation; no duration is asserted.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task GetTokenAsync_FailingSource_ThrowsJwtSsoExceptionNamingSource()
    {
        JwtTokenSource? source = null;
        var ex = await Assert.ThrowsAsync<JwtSsoException>(async () =>
        {
            source = await CreateFailingAsync(TestJwt.Contract("leaked-secret"));
            await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);
        });

        Assert.False(string.IsNullOrWhiteSpace(ex.SourceName));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        if (source is not null)
        {
            Assert.Equal(source.Name, ex.SourceName);
            Assert.Contains(source.Name, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetTokenAsync_FailingSource_NeverRevealsSecret()
    {
        var secret = TestJwt.Contract("leaked-secret");
        JwtTokenSource? source = null;
        var ex = await Assert.ThrowsAsync<JwtSsoException>(async () =>
        {
            source = await CreateFailingAsync(secret);
            await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);
        });

        AssertNoSecret(secret, ex.ToString());
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            AssertNoSecret(secret, e.Message);
        }

        if (source is not null)
        {
            AssertNoSecret(secret, source.Name);
            AssertNoSecret(secret, source.ToString());
        }
    }

    [Fact]
    public async Task Name_AcrossFetches_IsStableNonEmptyAndFreeOfTheToken()
    {
        var text = TestJwt.Contract();
        var source = await CreateSucceedingAsync(text);
        var before = source.Name;

        var token = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);
        await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

        Assert.False(string.IsNullOrWhiteSpace(before));
        Assert.Equal(before, source.Name);
        AssertNoSecret(token.Value, source.Name);
    }

    [Fact]
    public async Task ToString_AfterFetch_NeverContainsTheToken()
    {
        var source = await CreateSucceedingAsync(TestJwt.Contract());

        var token = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

        AssertNoSecret(token.Value, source.ToString());
        AssertNoSecret(token.Value, token.ToString());
        Assert.Contains(token.Fingerprint, token.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Asserts that <paramref name="text"/> holds neither the secret nor any of its three parts.</summary>
    protected static void AssertNoSecret(string secret, string? text)
    {
        if (text is null)
        {
            return;
        }

        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        foreach (var part in secret.Split('.'))
        {
            Assert.DoesNotContain(part, text, StringComparison.Ordinal);
        }
    }

    /// <summary>A source whose fetch is waiting, and a task that completes once it is.</summary>
    /// <param name="Source">The source.</param>
    /// <param name="Waiting">Completes when the fetch has started waiting; <see cref="Task.CompletedTask"/> when that cannot be observed.</param>
    public sealed record HangingSource(JwtTokenSource Source, Task Waiting);

    private sealed class CountingSource(JwtTokenSource inner) : JwtTokenSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override string Name => inner.Name;

        public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return inner.GetTokenAsync(cancellationToken);
        }
    }
}
