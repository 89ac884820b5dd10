using System.Diagnostics;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>Runs the real libpq client, as a user pastes the tool's output into it.</summary>
internal static class Psql
{
    public const string Path = "/usr/bin/psql";

    /// <summary>Runs one statement with <c>psql "&lt;conninfo&gt;" -c</c> and returns the exit code, the unaligned result and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string conninfo, string sql)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-X", "-A", "-t", "-w", conninfo, "-c", sql })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGCONNECT_TIMEOUT"] = "20";
        start.Environment.Remove("PGPASSWORD");
        start.Environment.Remove("PGSSLMODE");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // hang guard only
        await process.WaitForExitAsync(hang.Token);
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }
}
