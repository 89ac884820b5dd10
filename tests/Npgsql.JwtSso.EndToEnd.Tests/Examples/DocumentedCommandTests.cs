using System.Diagnostics;

namespace Npgsql.JwtSso.EndToEnd.Tests.Examples;

/// <summary>
/// Runs each example with the exact command README.md states, from the repository root, with no cluster configured:
/// the example must find its own appsettings.json and start its own local stack.
/// </summary>
public sealed class DocumentedCommandTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Worker_ReadmeCommandFromRepositoryRoot_PollsLocalStackThreeTimes()
    {
        var (exitCode, output) = await RunDocumentedAsync("dotnet run --project examples/Worker -- --Poller:Iterations=3 --Poller:Interval=00:00:01");

        Assert.True(exitCode == 0, output);
        Assert.Contains("health: Healthy", output, StringComparison.Ordinal);
        Assert.Contains("poll 3: order_bot", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotConsole_ReadmeCommandFromRepositoryRoot_TicksThreeTimesOnLocalStack()
    {
        var (exitCode, output) = await RunDocumentedAsync("dotnet run --project examples/BotConsole");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Logged in as bot", output, StringComparison.Ordinal);
        Assert.Contains("tick 3: bot at ", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunDocumentedAsync(string command)
    {
        var root = ExampleWorkspace.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        Assert.Contains($"\n{command}\n", readme, StringComparison.Ordinal);

        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment.Remove("ConnectionStrings__Cockroach"); // "no cluster configured"
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hangGuard = new CancellationTokenSource(HangGuard);
        try
        {
            await process.WaitForExitAsync(hangGuard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
