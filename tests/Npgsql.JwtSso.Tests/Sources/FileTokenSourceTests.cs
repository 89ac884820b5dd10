using System.Diagnostics;
using Xunit;

namespace Npgsql.JwtSso.Tests.Sources;

public sealed class FileTokenSourceContractTests : TokenSourceContract, IDisposable
{
    private readonly TempDirectory _dir = new();
    private Process? _writer;
    private Fifo? _signal;

    public void Dispose()
    {
        if (_writer is { HasExited: false })
        {
            _writer.Kill(entireProcessTree: true);
        }

        _writer?.Dispose();
        _signal?.Dispose();
        _dir.Dispose();
    }

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => ValueTask.FromResult<JwtTokenSource>(new FileTokenSource(_dir.Write("token", token + "\n")));

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
        => ValueTask.FromResult<JwtTokenSource>(new FileTokenSource(_dir.Write("token", "{\"access_token\":\"" + secret + "\"}")));

    // The token file is a FIFO whose writer opened it and then writes nothing: the read blocks until cancelled.
    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        var token = FileTokenSourceTests.MakeFifo(_dir.Path, "token");
        _signal = new Fifo(_dir.Path);
        _writer = FileTokenSourceTests.Sh($"exec 3> '{token}'; echo open > '{_signal.Path}'; exec sleep 300");
        return ValueTask.FromResult<HangingSource?>(new HangingSource(new FileTokenSource(token), _signal.Signalled));
    }
}

public sealed class FileTokenSourceTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Name_IsFileAndFullPath()
    {
        var path = Path.Combine(_dir.Path, "token");

        var source = new FileTokenSource(path);

        Assert.Equal($"file:{path}", source.Name);
        Assert.Equal(path, source.Path);
    }

    [Fact]
    public void Ctor_RelativePath_ResolvesAgainstCurrentDirectory()
        => Assert.Equal(Path.Combine(Environment.CurrentDirectory, "token.jwt"), new FileTokenSource("token.jwt").Path);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Ctor_BlankPath_ThrowsArgumentException(string path)
        => Assert.Equal("path", Assert.Throws<ArgumentException>(() => new FileTokenSource(path)).ParamName);

    [Fact]
    public async Task GetTokenAsync_FileWithNewline_ReturnsTrimmedToken()
    {
        var text = TestJwt.Contract();
        var source = new FileTokenSource(_dir.Write("token", "\n  " + text + "\r\n"));

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(text, token.Value);
    }

    [Fact]
    public async Task GetTokenAsync_MissingFile_NamesPathAndUnmountedVolume()
    {
        var path = Path.Combine(_dir.Path, "not-mounted", "token");
        var source = new FileTokenSource(path);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Equal(source.Name, ex.SourceName);
        Assert.Contains($"'{path}' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not mounted", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_EmptyFile_SaysEmpty()
    {
        var source = new FileTokenSource(_dir.Write("token", " \n"));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains(source.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_PathIsDirectory_SaysSo()
    {
        var source = new FileTokenSource(_dir.Path);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_HugeFile_RefusesToReadIt()
    {
        var source = new FileTokenSource(_dir.Write("token", new string('a', 2 * 1024 * 1024)));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("too large to be a JWT", ex.Message, StringComparison.Ordinal);
    }

    // Regression: the limit used FileInfo.Length, which is 0 for a FIFO, so a 5 MB FIFO was read in full.
    [Fact]
    public async Task GetTokenAsync_FifoLargerThanTheLimit_StopsReadingAtTheLimit()
    {
        var token = MakeFifo(_dir.Path, "token");
        using var signal = new Fifo(_dir.Path);
        using var writer = Sh($"head -c 5000000 /dev/zero | tr '\\0' a > '{token}'; echo \"status=$?\" > '{signal.Path}'");
        var source = new FileTokenSource(token);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(HangGuard));

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("too large to be a JWT", ex.Message, StringComparison.Ordinal);
        // The writer could not write all 5 MB: the source closed the FIFO after the first megabyte (SIGPIPE, status 141).
        Assert.NotEqual("status=0", await signal.Signalled.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task GetTokenAsync_FileRewritten_ReturnsTheNewToken()
    {
        var path = _dir.Write("token", TestJwt.Contract("first"));
        var source = new FileTokenSource(path);
        var first = await source.GetTokenAsync(CancellationToken.None);

        _dir.Write("token", TestJwt.Contract("second"));
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("first", first.Subject);
        Assert.Equal("second", second.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_KubernetesDataSymlinkSwapped_ReadsTheNewToken()
    {
        // The kubelet's AtomicWriter layout: token -> ..data/token, ..data -> ..<timestamp>/, swapped by renaming a new link over ..data.
        var oldDir = Directory.CreateDirectory(Path.Combine(_dir.Path, "..2030_01_01_12_00_00.1"));
        File.WriteAllText(Path.Combine(oldDir.FullName, "token"), TestJwt.Contract("before-rotation"));
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "..data"), oldDir.Name);
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "token"), Path.Combine("..data", "token"));
        var source = new FileTokenSource(Path.Combine(_dir.Path, "token"));
        var before = await source.GetTokenAsync(CancellationToken.None);
        Assert.False(source.HasChanged);

        var newDir = Directory.CreateDirectory(Path.Combine(_dir.Path, "..2030_01_01_12_48_00.2"));
        File.WriteAllText(Path.Combine(newDir.FullName, "token"), TestJwt.Contract("after-rotation"));
        Directory.CreateSymbolicLink(Path.Combine(_dir.Path, "..data_tmp"), newDir.Name);
        Rename(Path.Combine(_dir.Path, "..data_tmp"), Path.Combine(_dir.Path, "..data"));
        Directory.Delete(oldDir.FullName, recursive: true);

        Assert.True(source.HasChanged);
        var after = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("before-rotation", before.Subject);
        Assert.Equal("after-rotation", after.Subject);
        Assert.False(source.HasChanged);
    }

    [Fact]
    public void HasChanged_BeforeFirstRead_IsFalse()
        => Assert.False(new FileTokenSource(_dir.Write("token", TestJwt.Contract())).HasChanged);

    [Fact]
    public async Task HasChanged_FileRemovedAfterRead_IsFalse()
    {
        var path = _dir.Write("token", TestJwt.Contract());
        var source = new FileTokenSource(path);
        await source.GetTokenAsync(CancellationToken.None);

        File.Delete(path);

        Assert.False(source.HasChanged);
    }

    // rename(2) replaces the destination link atomically, as the kubelet does; mv -T does exactly that.
    private static void Rename(string from, string to)
    {
        using var mv = System.Diagnostics.Process.Start("mv", ["-T", from, to]);
        mv.WaitForExit();
        Assert.Equal(0, mv.ExitCode);
    }

    internal static string MakeFifo(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    internal static Process Sh(string script)
        => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]) { UseShellExecute = false })!;
}
