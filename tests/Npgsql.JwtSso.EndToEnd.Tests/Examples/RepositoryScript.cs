using System.Diagnostics;

namespace Npgsql.JwtSso.EndToEnd.Tests.Examples;

/// <summary>Runs <c>bash</c> from the repository root, as a newcomer would, and collects its output; killed past the hang guard.</summary>
internal static class RepositoryScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> bashArguments, TimeSpan hangGuard, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = ExampleWorkspace.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in bashArguments)
        {
            start.ArgumentList.Add(argument);
        }

        configure?.Invoke(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(hangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
