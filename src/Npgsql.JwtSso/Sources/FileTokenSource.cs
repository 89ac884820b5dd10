using System.Text;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A source that reads the token from a file on each call: Kubernetes projected service-account tokens
/// (<c>/var/run/secrets/tokens/…</c>), Vault agent sinks, or any sidecar that keeps a token file up to date.
/// </summary>
/// <remarks>
/// The file is read afresh (and trimmed) every time the refresh engine asks, so a rotated file is picked up at the
/// next refresh. Symbolic links are followed, which covers Kubernetes' atomic rotation (the <c>..data</c> link is
/// swapped to a new directory). <see cref="HasChanged"/> tells whether the file now holds a different token than the
/// one last read.
/// </remarks>
public sealed class FileTokenSource : JwtTokenSource
{
    // A JWT is a few kilobytes; anything much larger is not a token file.
    private const long MaxFileLength = 1024 * 1024;
    private readonly object _gate = new();
    private string? _lastFingerprint;

    /// <summary>Initializes a new instance of the <see cref="FileTokenSource"/> class.</summary>
    /// <param name="path">The token file. A relative path is resolved against the current directory now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, white space or not a valid path.</exception>
    public FileTokenSource(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        try
        {
            Path = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"The token file path '{path}' is not a valid path: {ex.Message}", nameof(path), ex);
        }

        Name = $"file:{Path}";
    }

    /// <summary>Gets the full path of the token file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    /// <value><c>file:</c> followed by the full path.</value>
    public override string Name { get; }

    /// <summary>
    /// Gets a value indicating whether the file now holds different text than it did at the last successful
    /// <see cref="GetTokenAsync"/> (for example after the kubelet or the Vault agent rotated it). It is
    /// <see langword="false"/> before the first read and while the file cannot be read. The check reads the file.
    /// </summary>
    public bool HasChanged
    {
        get
        {
            string? last;
            lock (_gate)
            {
                last = _lastFingerprint;
            }

            if (last is null)
            {
                return false;
            }

            try
            {
                var text = ReadCapped(Path).Trim();
                return text.Length > 0 && JwtToken.ComputeFingerprint(text) != last;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TooLargeException)
            {
                return false;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The file is missing, unreadable or empty (<see cref="JwtSsoErrorKind.SourceFailed"/>), or does not hold a JWT (<see cref="JwtSsoErrorKind.InvalidToken"/>).</exception>
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = (await ReadAsync(cancellationToken).ConfigureAwait(false)).Trim();
        if (text.Length == 0)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                Name,
                $"{Name}: the token file '{Path}' is empty. The process that writes it (kubelet, Vault agent, sidecar) may not have written a token yet; check its logs.")
            { IsTransient = true };
        }

        var token = SourceTokens.Parse(
            Name,
            text,
            $"Check that '{Path}' holds only the JWT (three base64url parts separated by dots), not JSON, an opaque access token or a Vault response wrapper.");
        lock (_gate)
        {
            _lastFingerprint = token.Fingerprint;
        }

        return token;
    }

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(Path))
        {
            throw Failed($"'{Path}' is a directory, not a file. Point the source at the token file inside it (for a Kubernetes projected volume, the volume's mountPath joined with the item's path).", transient: false);
        }

        // A FIFO blocks on open until a writer comes and on read until it writes, and cannot be cancelled: read on a
        // thread of its own so the caller's cancellation (and the engine's SourceTimeout) is honoured regardless.
        var read = Task.Factory.StartNew(static path => ReadCapped((string)path!), Path, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await read.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!read.IsCompleted)
        {
            // The read goes on until the writer writes or goes away; observe its outcome so it never surfaces as unobserved.
            _ = read.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        catch (TooLargeException)
        {
            throw Failed($"the token file '{Path}' holds more than {MaxFileLength} characters, too large to be a JWT. Check the path.", transient: false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Failed(
                $"the token file '{Path}' does not exist. Typical cause: the volume that holds it is not mounted (Kubernetes: add a projected serviceAccountToken volume and its volumeMount to the pod spec; Vault agent: check the sink path and that the agent is running).",
                transient: true,
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Failed(
                $"the token file '{Path}' cannot be read: permission denied. Check the file's owner and mode (Kubernetes: the volume's defaultMode and the pod's fsGroup/runAsUser).",
                transient: false,
                ex);
        }
        catch (IOException ex)
        {
            throw Failed($"the token file '{Path}' cannot be read: {ex.Message}", transient: true, ex);
        }
    }

    // Reads at most MaxFileLength characters and stops there: the length a FIFO or a device reports (0) says nothing.
    private static string ReadCapped(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxFileLength)
            {
                throw new TooLargeException();
            }
        }

        return text.ToString();
    }

    private JwtSsoException Failed(string problem, bool transient, Exception? inner = null)
        => new(JwtSsoErrorKind.SourceFailed, Name, $"{Name}: {problem}", inner) { IsTransient = transient };

    private sealed class TooLargeException : Exception
    {
    }
}
