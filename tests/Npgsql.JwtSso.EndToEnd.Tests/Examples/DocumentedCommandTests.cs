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

    // The demo as "Try it" states it: about a minute of 30-second tokens, refreshed in the background before expiry.
    [Fact]
    public async Task Quickstart_ReadmeCommandFromRepositoryRoot_RunsTheDemoWithoutFailures()
    {
        var (exitCode, output) = await RunDocumentedAsync("dotnet run --project examples/Quickstart");

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"Done: [1-9][0-9]* physical logins, 0 failed, ", output);
    }

    [Fact]
    public async Task EfCoreApp_ReadmeCommandFromRepositoryRoot_MigratesAndWritesTwiceOnLocalStack()
    {
        var (exitCode, output) = await RunDocumentedAsync("dotnet run --project examples/EfCoreApp -- --local");

        Assert.True(exitCode == 0, output);
        Assert.Contains("bot has written 1 message(s)", output, StringComparison.Ordinal);
        Assert.Contains("bot has written 2 message(s)", output, StringComparison.Ordinal);
        Assert.Contains("The cluster saw ", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunDocumentedAsync(string command)
    {
        var root = ExampleWorkspace.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        Assert.Contains($"\n{command}\n", readme, StringComparison.Ordinal);

        return await RepositoryScript.RunAsync(
            ["-c", command],
            HangGuard,
            start => start.Environment.Remove("ConnectionStrings__Cockroach")); // "no cluster configured"
    }
}
