using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

/// <summary>
/// A throwaway <c>redis-server</c> (the Debian package) on a random free port of 127.0.0.1, in a temporary directory,
/// without persistence; run as the <c>redis</c> OS account when the tests run as root; stopped by process id. Faults:
/// <see cref="KillAsync"/> (crash), <see cref="Pause"/>/<see cref="Resume"/> (SIGSTOP/SIGCONT: a server that stops
/// answering) and <see cref="StartAsync"/> again on the same port (it comes back empty).
/// </summary>
public sealed class TestRedis : IAsyncDisposable
{
    public const string ServerPath = "/usr/bin/redis-server";
    private const string OsUserWhenRoot = "redis";
    private Process? _launcher;

    public int Port { get; private set; }

    /// <summary>Gets the process id of redis-server itself (not of the runuser that started it).</summary>
    public int ProcessId { get; private set; }

    public string? Directory { get; private set; }

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000,allowAdmin=true";

    public static bool IsInstalled => File.Exists(ServerPath);

    public async Task StartAsync()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"{ServerPath} is missing: install the Debian package redis-server (apt-get install redis-server; .ci/run does it).");
        }

        var root = Environment.IsPrivilegedProcess;
        if (Directory is null)
        {
            Directory = Path.Combine(Path.GetTempPath(), "jwtsso-redis-" + Guid.NewGuid().ToString("N")[..12]);
            System.IO.Directory.CreateDirectory(Directory);
            if (root)
            {
                await RunAsync("chown", OsUserWhenRoot, Directory);
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            if (Port == 0 || attempt > 0)
            {
                Port = FindFreePort();
            }

            var pidFile = Path.Combine(Directory, "redis.pid");
            File.Delete(pidFile);
            string[] server = [ServerPath, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory,
                "--save", string.Empty, "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
                "--pidfile", pidFile, "--logfile", Path.Combine(Directory, "redis.log")];
            var start = new ProcessStartInfo(root ? "runuser" : ServerPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in root ? ["-u", OsUserWhenRoot, "--", .. server] : server[1..])
            {
                start.ArgumentList.Add(arg);
            }

            _launcher = Process.Start(start)!;
            _launcher.OutputDataReceived += (_, _) => { };
            _launcher.ErrorDataReceived += (_, _) => { };
            _launcher.BeginOutputReadLine();
            _launcher.BeginErrorReadLine();
            if (await WaitForPongAsync(pidFile))
            {
                ProcessId = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                return;
            }

            KillLauncher();
            if (attempt >= 4)
            {
                var log = Path.Combine(Directory, "redis.log");
                throw new InvalidOperationException($"redis-server did not start on port {Port}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log")}");
            }
        }
    }

    /// <summary>Kills redis-server (SIGKILL), as a crash would; the data is gone.</summary>
    public async Task KillAsync()
    {
        if (ProcessId != 0)
        {
            await RunAsync("kill", "-KILL", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (_launcher is not null)
            {
                await _launcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }

            ProcessId = 0;
        }
    }

    /// <summary>Stops redis-server from answering (SIGSTOP): connections stay open, requests hang.</summary>
    public Task Pause() => RunAsync("kill", "-STOP", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task Resume()
    {
        await RunAsync("kill", "-CONT", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // runuser stops itself when its child stops (job control); continue it too.
        if (_launcher is { HasExited: false } launcher)
        {
            await RunAsync("kill", "-CONT", launcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (ProcessId != 0)
        {
            await Resume();
            await KillAsync();
        }

        KillLauncher();
        if (Directory is not null && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void KillLauncher()
    {
        try
        {
            if (_launcher is { HasExited: false })
            {
                _launcher.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _launcher?.Dispose();
        _launcher = null;
    }

    private async Task<bool> WaitForPongAsync(string pidFile)
    {
        // Start-up wait of the fixture, not of the code under test: real time is what redis-server runs on.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_launcher!.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal) && File.Exists(pidFile))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
    }
}
