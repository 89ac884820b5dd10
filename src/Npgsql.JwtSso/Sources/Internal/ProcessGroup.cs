using System.Runtime.InteropServices;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// Runs a program as the leader of a session (and so of a process group) of its own, through <c>setsid</c>, so that
/// everything it starts can be stopped at once, even children that outlive it. Linux only: .NET's <c>Process</c> cannot
/// call <c>setpgid</c> between fork and exec, and macOS and Windows have no <c>setsid</c> program.
/// </summary>
internal static class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Gets the full path of <c>setsid</c>, or <see langword="null"/> where process groups are not used.</summary>
    internal static string? Launcher { get; } = OperatingSystem.IsLinux()
        ? new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists)
        : null;

    /// <summary>Finds the program the way <c>execvp</c> would with this process's <c>PATH</c>; <see langword="null"/> when not found.</summary>
    internal static string? Resolve(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName);
            return File.Exists(full) ? full : null;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Sends SIGKILL to every process in the group led by <paramref name="leader"/>; a group that is gone is ignored.</summary>
    internal static void Kill(int leader)
    {
        if (leader > 1)
        {
            _ = SendSignal(-leader, SigKill);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
