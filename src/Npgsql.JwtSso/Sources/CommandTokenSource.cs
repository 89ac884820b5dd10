using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A source that runs a program and reads the token from its standard output, for example
/// <c>gcloud auth print-identity-token --audiences=…</c>, <c>az account get-access-token --query accessToken -o tsv</c>
/// or a script of your own.
/// </summary>
/// <remarks>
/// The program runs once per refresh, without a shell, with standard input closed (a program that prompts gets end of
/// input instead of waiting). A non-zero exit fails with the exit code and the start of standard error, from which
/// anything that looks like a token is removed. When <see cref="CommandTokenSourceOptions.Timeout"/> passes or the
/// fetch is cancelled, the program and its child processes are killed.
/// <para>
/// On Linux the program runs through <c>setsid</c> in a session and process group of its own (so it has no controlling
/// terminal: a prompt on <c>/dev/tty</c> fails instead of waiting). When it exits, or on timeout or cancellation,
/// everything left in that group is killed, so a child left running (<c>cmd &amp;</c>) neither outlives the fetch nor
/// holds its output open. On macOS and Windows the program runs directly: on timeout or cancellation its process tree is
/// killed while it runs; after it exits, its output is read for at most 2 more seconds, and children it left running
/// are not stopped.
/// </para>
/// </remarks>
public sealed class CommandTokenSource : JwtTokenSource
{
    private const int MaxErrorLength = 1000;
    private const int MaxOutputLength = 1024 * 1024;

    // How long the output may still drain after the program exited, for children that keep it open outside its group.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);
    private readonly string _fileName;
    private readonly string[] _arguments;
    private readonly string? _workingDirectory;
    private readonly KeyValuePair<string, string?>[] _environment;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="CommandTokenSource"/> class.</summary>
    /// <param name="options">What to run; copied now, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock for <see cref="CommandTokenSourceOptions.Timeout"/>; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public CommandTokenSource(CommandTokenSourceOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.FileName))
        {
            throw new ArgumentException("CommandTokenSourceOptions.FileName is required: the program that prints a JWT, for example 'gcloud'.", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"CommandTokenSourceOptions.Timeout must be more than zero and at most one hour; it is {options.Timeout}.", nameof(options));
        }

        if (options.Arguments.Any(a => a is null))
        {
            throw new ArgumentException("CommandTokenSourceOptions.Arguments must not contain null elements.", nameof(options));
        }

        if (options.Environment.Keys.Any(k => string.IsNullOrEmpty(k) || k.Contains('=', StringComparison.Ordinal)))
        {
            throw new ArgumentException("CommandTokenSourceOptions.Environment has a variable name that is empty or contains '='.", nameof(options));
        }

        if (options.WorkingDirectory is { } dir && string.IsNullOrWhiteSpace(dir))
        {
            throw new ArgumentException("CommandTokenSourceOptions.WorkingDirectory must be null (the current directory) or a directory path, not empty.", nameof(options));
        }

        _fileName = options.FileName;
        _arguments = [.. options.Arguments];
        _workingDirectory = options.WorkingDirectory;
        _environment = [.. options.Environment];
        _timeout = options.Timeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        Name = $"command:{System.IO.Path.GetFileName(_fileName.TrimEnd('/', '\\'))}";
    }

    /// <inheritdoc />
    /// <value><c>command:</c> followed by the program's file name, for example <c>command:gcloud</c> (arguments are left out: they may hold secrets).</value>
    public override string Name { get; }

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">
    /// The program could not be started (<see cref="JwtSsoErrorKind.Configuration"/>), exited with a non-zero code or printed nothing
    /// (<see cref="JwtSsoErrorKind.SourceFailed"/>), printed something that is not a JWT (<see cref="JwtSsoErrorKind.InvalidToken"/>)
    /// or ran longer than the timeout (<see cref="JwtSsoErrorKind.Timeout"/>).
    /// </exception>
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
        var (process, group) = Start();
        using var disposeProcess = process;
        var output = new StringBuilder();
        var error = new StringBuilder();
        Task? reads = null;
        try
        {
            CloseInput(process);
            reads = Task.WhenAll(ReadAsync(process.StandardOutput, output, reading.Token), ReadAsync(process.StandardError, error, reading.Token));
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);

            // A child left running (`cmd &`) still holds the output pipes: stop what remains of the program's process
            // group, then give the output a short, bounded time to drain (children outside the group may hold it open).
            KillGroup(group);
            await DrainAsync(reads, reading, linked.Token).ConfigureAwait(false);
            return Interpret(process.ExitCode, output, error, group);
        }
        catch (OperationCanceledException ex) when (linked.IsCancellationRequested)
        {
            KillAll(process, group);
            cancellationToken.ThrowIfCancellationRequested();
            throw new JwtSsoException(
                JwtSsoErrorKind.Timeout,
                Name,
                $"{Name}: '{_fileName}' did not finish within {FormatTimeout()} (CommandTokenSourceOptions.Timeout) and was stopped. Check that it does not wait for input, such as an interactive login (run it yourself in the same environment), or raise the timeout.",
                ex)
            { IsTransient = true };
        }
        finally
        {
            if (!process.HasExited)
            {
                KillAll(process, group);
            }

            await reading.CancelAsync().ConfigureAwait(false);
            Observe(reads);
        }
    }

    // Appends what the stream yields until it ends or reading is cancelled; beyond MaxOutputLength it keeps reading (so
    // the program never blocks on a full pipe) but keeps nothing more.
    private static async Task ReadAsync(StreamReader reader, StringBuilder into, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, Math.Min(read, Math.Max(0, MaxOutputLength + 1 - into.Length)));
            }
        }
    }

    // Reads of an anonymous pipe cannot always be interrupted: a read that outlives the fetch (a child outside the
    // group holds the pipe) finishes when that child exits; its outcome is observed, never awaited.
    private static void Observe(Task? reads)
        => reads?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task DrainAsync(Task reads, CancellationTokenSource reading, CancellationToken cancellationToken)
    {
        using var grace = new CancellationTokenSource(DrainGrace, _timeProvider);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, grace.Token);
        try
        {
            await reads.WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (grace.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The program exited but something it started keeps its output open: use what was printed so far.
            await reading.CancelAsync().ConfigureAwait(false);
        }
    }

    private static void CloseInput(Process process)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited already; its output tells what happened.
        }
    }

    private static void KillGroup(int? group)
    {
        if (group is { } leader)
        {
            ProcessGroup.Kill(leader);
        }
    }

    private static void KillAll(Process process, int? group)
    {
        KillGroup(group);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It exited between the check and the kill, or is gone already.
        }
    }

    private (Process Process, int? Group) Start()
    {
        if (_workingDirectory is not null && !Directory.Exists(_workingDirectory))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                Name,
                $"{Name}: the working directory '{_workingDirectory}' does not exist. Fix CommandTokenSourceOptions.WorkingDirectory, or leave it null for the current directory.");
        }

        // On Linux the program runs through setsid as the leader of a process group of its own (same process id), so
        // children it leaves behind can be stopped with it. Elsewhere, or when the program is not on PATH (it is then
        // left to Process.Start to find or to report), it runs directly.
        var program = ProcessGroup.Launcher is null ? null : ProcessGroup.Resolve(_fileName);
        var info = new ProcessStartInfo(program is null ? _fileName : ProcessGroup.Launcher!)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (program is not null)
        {
            info.ArgumentList.Add(program);
        }

        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (_workingDirectory is not null)
        {
            info.WorkingDirectory = _workingDirectory;
        }

        foreach (var (key, value) in _environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        try
        {
            var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned no process.");
            return (process, program is null ? null : process.Id);
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                Name,
                $"{Name}: could not start '{_fileName}': {ex.Message}. Check that the program is installed and executable and on PATH, or set CommandTokenSourceOptions.FileName to its full path.",
                ex);
        }
    }

    private JwtToken Interpret(int exitCode, StringBuilder outputText, StringBuilder errorText, int? group)
    {
        string output, error;
        lock (outputText)
        {
            output = outputText.ToString();
        }

        lock (errorText)
        {
            error = errorText.ToString();
        }

        if (group is not null && exitCode is 126 or 127 && error.StartsWith("setsid: failed to execute", StringComparison.Ordinal))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                Name,
                $"{Name}: could not start '{_fileName}' ({SecretScrubber.Scrub(error, MaxErrorLength)}). Check that the program is installed and executable, or set CommandTokenSourceOptions.FileName to its full path.");
        }

        if (output.Length > MaxOutputLength)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                Name,
                $"{Name}: '{_fileName}' printed more than {MaxOutputLength} characters on standard output, far more than a JWT. The command must print only the token.");
        }

        if (exitCode != 0)
        {
            var detail = SecretScrubber.Scrub(error, MaxErrorLength, output);
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                Name,
                $"{Name}: '{_fileName}' exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}{(detail.Length > 0 ? $": {detail}" : " and printed nothing on standard error")}. Run the command yourself in the same environment (user, PATH, credentials) to see why.")
            { IsTransient = true };
        }

        if (string.IsNullOrWhiteSpace(output))
        {
            var detail = SecretScrubber.Scrub(error, MaxErrorLength);
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                Name,
                $"{Name}: '{_fileName}' exited with code 0 but printed nothing on standard output{(detail.Length > 0 ? $"; standard error: {detail}" : string.Empty)}. The command must print the token on standard output.");
        }

        return SourceTokens.Parse(
            Name,
            output,
            $"Check that '{_fileName}' prints only the JWT on standard output (for gcloud: print-identity-token, not print-access-token, which prints an opaque access token).");
    }

    private string FormatTimeout()
        => _timeout.TotalSeconds >= 1
            ? $"{_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
            : $"{_timeout.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms";
}
