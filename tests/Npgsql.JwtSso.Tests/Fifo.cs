using System.Diagnostics;

namespace Npgsql.JwtSso.Tests;

/// <summary>
/// A named pipe a child process writes one line to when it reached a point of interest: the test awaits that real
/// event instead of sleeping.
/// </summary>
internal sealed class Fifo : IDisposable
{
    private readonly Task<string> _read;

    public Fifo(string directory)
    {
        Path = System.IO.Path.Combine(directory, $"signal-{Guid.NewGuid():N}");
        using (var mkfifo = Process.Start("mkfifo", [Path]))
        {
            mkfifo.WaitForExit();
            if (mkfifo.ExitCode != 0)
            {
                throw new InvalidOperationException("mkfifo failed");
            }
        }

        // Opening a FIFO for reading blocks until a writer opens it, hence the dedicated thread.
        _read = Task.Factory.StartNew(() => File.ReadAllText(Path).Trim(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string Path { get; }

    /// <summary>Gets the text the writer wrote, once it closed the pipe.</summary>
    public Task<string> Signalled => _read;

    public void Dispose()
    {
        if (!_read.IsCompleted)
        {
            // Release the blocked reader: a reader is waiting, so opening for writing does not block.
            using var writer = new FileStream(Path, FileMode.Open, FileAccess.Write);
        }
    }
}
