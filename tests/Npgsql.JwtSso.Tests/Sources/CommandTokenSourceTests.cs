using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.Sources;

public sealed class CommandTokenSourceContractTests : TokenSourceContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private Fifo? _fifo;

    public void Dispose()
    {
        _fifo?.Dispose();
        _dir.Dispose();
    }

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => ValueTask.FromResult<JwtTokenSource>(CommandTokenSourceTests.Sh("printf '%s\\n' \"$CONTRACT_TOKEN\"", o => o.Environment["CONTRACT_TOKEN"] = token));

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
        => ValueTask.FromResult<JwtTokenSource>(CommandTokenSourceTests.Sh(
            "echo \"ERROR: refresh failed for token $SECRET\" >&2; exit 3",
            o => o.Environment["SECRET"] = secret));

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        _fifo = new Fifo(_dir.Path);
        var source = CommandTokenSourceTests.Sh("echo waiting > \"$FIFO\"; exec sleep 300", o => o.Environment["FIFO"] = _fifo.Path);
        return ValueTask.FromResult<HangingSource?>(new HangingSource(source, _fifo.Signalled));
    }
}

public sealed class CommandTokenSourceTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Name_IsCommandAndProgramFileName()
    {
        var source = new CommandTokenSource(new CommandTokenSourceOptions { FileName = "/usr/bin/gcloud", Arguments = { "auth", "print-identity-token", "--audiences=crdb" } });

        Assert.Equal("command:gcloud", source.Name);
    }

    [Fact]
    public void Ctor_NoFileName_ThrowsNamingFileName()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CommandTokenSource(new CommandTokenSourceOptions()));
        Assert.Contains("CommandTokenSourceOptions.FileName", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(7200)]
    public void Ctor_TimeoutOutOfRange_ThrowsNamingTimeout(int seconds)
    {
        var options = new CommandTokenSourceOptions { FileName = "/bin/sh", Timeout = TimeSpan.FromSeconds(seconds) };

        var ex = Assert.Throws<ArgumentException>(() => new CommandTokenSource(options));

        Assert.Contains("CommandTokenSourceOptions.Timeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_NullArgument_ThrowsNamingArguments()
    {
        var options = new CommandTokenSourceOptions { FileName = "/bin/sh", Arguments = { null! } };

        var ex = Assert.Throws<ArgumentException>(() => new CommandTokenSource(options));

        Assert.Contains("CommandTokenSourceOptions.Arguments", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ArgumentsWithSpaces_PassedVerbatimWithoutShell()
    {
        var token = TestJwt.Contract();
        var source = new CommandTokenSource(new CommandTokenSourceOptions
        {
            FileName = "/bin/sh",
            Arguments = { "-c", "[ \"$1\" = 'a b \"c\"' ] && printf %s \"$2\"", "sh", "a b \"c\"", token },
        });

        Assert.Equal(token, (await source.GetTokenAsync(CancellationToken.None)).Value);
    }

    [Fact]
    public async Task GetTokenAsync_EnvironmentNullValue_RemovesInheritedVariable()
    {
        var inherited = $"JWTSSO_INHERITED_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(inherited, "present");
        try
        {
            var token = TestJwt.Contract();
            var source = Sh($"[ -z \"${{{inherited}+x}}\" ] && printf %s \"$T\"", o =>
            {
                o.Environment[inherited] = null;
                o.Environment["T"] = token;
            });

            Assert.Equal(token, (await source.GetTokenAsync(CancellationToken.None)).Value);
        }
        finally
        {
            Environment.SetEnvironmentVariable(inherited, null);
        }
    }

    [Fact]
    public async Task GetTokenAsync_WorkingDirectory_RunsThere()
    {
        var token = TestJwt.Contract();
        _dir.Write("token.txt", token);
        var source = Sh("cat token.txt", o => o.WorkingDirectory = _dir.Path);

        Assert.Equal(token, (await source.GetTokenAsync(CancellationToken.None)).Value);
    }

    [Fact]
    public async Task GetTokenAsync_MissingWorkingDirectory_ThrowsConfigurationNamingIt()
    {
        var missing = Path.Combine(_dir.Path, "missing");
        var source = Sh("true", o => o.WorkingDirectory = missing);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("WorkingDirectory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ProgramMissing_ThrowsConfigurationNamingProgramAndPath()
    {
        var source = new CommandTokenSource(new CommandTokenSourceOptions { FileName = "jwtsso-no-such-program" });

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Equal("command:jwtsso-no-such-program", ex.SourceName);
        Assert.Contains("could not start 'jwtsso-no-such-program'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PATH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_StandardInput_IsClosedSoPromptsDoNotHang()
    {
        var token = TestJwt.Contract();
        var source = Sh("cat > /dev/null; printf %s \"$T\"", o => o.Environment["T"] = token);

        var result = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

        Assert.Equal(token, result.Value);
    }

    [Fact]
    public async Task GetTokenAsync_EachCall_RunsTheCommandAgain()
    {
        var counter = Path.Combine(_dir.Path, "runs");
        var source = Sh("echo run >> \"$COUNTER\"; printf %s \"$T\"", o =>
        {
            o.Environment["COUNTER"] = counter;
            o.Environment["T"] = TestJwt.Contract();
        });

        await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, File.ReadAllLines(counter).Length);
    }

    [Fact]
    public async Task GetTokenAsync_OptionsChangedAfterConstruction_UsesTheCopy()
    {
        var token = TestJwt.Contract();
        var options = new CommandTokenSourceOptions { FileName = "/bin/sh", Arguments = { "-c", "printf %s \"$T\"" }, Environment = { ["T"] = token } };
        var source = new CommandTokenSource(options);

        options.FileName = "jwtsso-no-such-program";
        options.Environment["T"] = "changed";

        Assert.Equal(token, (await source.GetTokenAsync(CancellationToken.None)).Value);
    }

    [Fact]
    public async Task GetTokenAsync_NonZeroExit_ReportsExitCodeAndScrubbedStandardError()
    {
        var secret = TestJwt.Contract("stderr-secret");
        var source = Sh("echo 'ERROR: (gcloud.auth.print-identity-token) Reauthentication required.' >&2; echo \"cached: $S\" >&2; exit 42", o => o.Environment["S"] = secret);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("exited with code 42", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reauthentication required.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cached: [redacted]", ex.Message, StringComparison.Ordinal);
        foreach (var part in secret.Split('.'))
        {
            Assert.DoesNotContain(part, ex.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetTokenAsync_LongStandardError_IsTruncated()
    {
        var source = Sh("head -c 20000 /dev/zero | tr '\\0' 'x' >&2; exit 1");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("(19000 more characters)", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 1500, $"Message length {ex.Message.Length}");
    }

    [Fact]
    public async Task GetTokenAsync_NothingOnStandardOutput_ThrowsSourceFailed()
    {
        var source = Sh("echo 'no credentialed accounts' >&2");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("printed nothing on standard output", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no credentialed accounts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_OpaqueAccessToken_ThrowsInvalidTokenWithHintAndWithoutText()
    {
        var source = Sh("echo ya29.a0AfB_opaque_access_token_value; echo 'also on stderr: ya29.a0AfB_opaque_access_token_value' >&2");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.StartsWith("command:sh returned text that is not a JWT: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("print-identity-token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque_access_token", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_TimeoutElapses_ThrowsTimeoutAndKillsProcessTree()
    {
        var time = new FakeTimeProvider();
        using var fifo = new Fifo(_dir.Path);
        var source = Sh("sleep 300 & echo $! > \"$FIFO\"; wait", o => o.Environment["FIFO"] = fifo.Path, time);

        var fetch = source.GetTokenAsync(CancellationToken.None).AsTask();
        var child = int.Parse(await fifo.Signalled.WaitAsync(HangGuard), CultureInfo.InvariantCulture);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(fetch.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => fetch.WaitAsync(HangGuard));

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.Contains("did not finish within 30 s (CommandTokenSourceOptions.Timeout)", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        await WaitUntilGoneAsync(child);
    }

    [Fact]
    public async Task GetTokenAsync_Cancelled_ThrowsOperationCanceledAndKillsProcessTree()
    {
        using var fifo = new Fifo(_dir.Path);
        using var cts = new CancellationTokenSource();
        var source = Sh("sleep 300 & echo $! > \"$FIFO\"; wait", o => o.Environment["FIFO"] = fifo.Path);

        var fetch = source.GetTokenAsync(cts.Token).AsTask();
        var child = int.Parse(await fifo.Signalled.WaitAsync(HangGuard), CultureInfo.InvariantCulture);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(HangGuard));
        await WaitUntilGoneAsync(child);
    }

    // Regression: the background child kept standard output open, so the fetch waited for it until the timeout although
    // the token had been printed and the program had exited with code 0. The clock never moves here: no timeout can fire.
    [Fact]
    public async Task GetTokenAsync_BackgroundChildKeepsOutputOpen_ReturnsTokenAndStopsTheChild()
    {
        var time = new FakeTimeProvider();
        using var fifo = new Fifo(_dir.Path);
        var token = TestJwt.Contract();
        var source = Sh("printf '%s\\n' \"$T\"; sleep 120 & echo $! > \"$FIFO\"", o =>
        {
            o.Environment["T"] = token;
            o.Environment["FIFO"] = fifo.Path;
        }, time);

        var result = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard);

        Assert.Equal(token, result.Value);
        await WaitUntilGoneAsync(int.Parse(await fifo.Signalled.WaitAsync(HangGuard), CultureInfo.InvariantCulture));
    }

    // Regression: the kill reached only the program's descendants, so a child orphaned by an intermediate shell (now a
    // child of init) survived the timeout. It is still in the program's process group, which is killed as a whole.
    [Fact]
    public async Task GetTokenAsync_TimeoutWithOrphanedChild_KillsTheWholeGroup()
    {
        var time = new FakeTimeProvider();
        using var fifo = new Fifo(_dir.Path);
        var source = Sh("sh -c 'sleep 300 & echo $! > \"$FIFO\"'; exec sleep 300", o => o.Environment["FIFO"] = fifo.Path, time);

        var fetch = source.GetTokenAsync(CancellationToken.None).AsTask();
        var orphan = int.Parse(await fifo.Signalled.WaitAsync(HangGuard), CultureInfo.InvariantCulture);
        time.Advance(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => fetch.WaitAsync(HangGuard));
        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        await WaitUntilGoneAsync(orphan);
    }

    [Fact]
    public async Task GetTokenAsync_CancelledWithOrphanedChild_KillsTheWholeGroup()
    {
        using var fifo = new Fifo(_dir.Path);
        using var cts = new CancellationTokenSource();
        var source = Sh("sh -c 'sleep 300 & echo $! > \"$FIFO\"'; exec sleep 300", o => o.Environment["FIFO"] = fifo.Path);

        var fetch = source.GetTokenAsync(cts.Token).AsTask();
        var orphan = int.Parse(await fifo.Signalled.WaitAsync(HangGuard), CultureInfo.InvariantCulture);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(HangGuard));
        await WaitUntilGoneAsync(orphan);
    }

    [Fact]
    public async Task GetTokenAsync_ProgramNotExecutable_ThrowsConfigurationNamingIt()
    {
        var script = _dir.Write("not-executable.sh", "#!/bin/sh\necho hi\n");
        var source = new CommandTokenSource(new CommandTokenSourceOptions { FileName = script });

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains($"could not start '{script}'", ex.Message, StringComparison.Ordinal);
    }

    internal static CommandTokenSource Sh(string script, Action<CommandTokenSourceOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new CommandTokenSourceOptions { FileName = "/bin/sh", Arguments = { "-c", script } };
        configure?.Invoke(options);
        return new CommandTokenSource(options, time);
    }

    // A killed process is gone, or a zombie when its parent (killed too) left it to an init that does not reap.
    private static async Task WaitUntilGoneAsync(int pid)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!IsGone(pid))
        {
            await Task.Delay(20, guard.Token);
        }
    }

    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
