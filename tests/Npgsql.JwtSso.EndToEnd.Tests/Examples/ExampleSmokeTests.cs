using Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;
using BotConsoleProgram = Npgsql.JwtSso.Examples.BotConsole.Program;
using EfCoreAppProgram = Npgsql.JwtSso.Examples.EfCoreApp.Program;
using WorkerProgram = Npgsql.JwtSso.Examples.Worker.Program;

namespace Npgsql.JwtSso.EndToEnd.Tests.Examples;

/// <summary>Runs each example's entry point against the end-to-end target (token file from the local issuer).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExampleSmokeTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task BotConsole_ThreeTicks_LogsInAsTokenSubjectWithoutPrintingTheToken()
    {
        var token = fixture.MintToken();
        using var workspace = new ExampleWorkspace(token);
        var connection = fixture.CreateConnectionStringBuilder(includeJwtOption: false);
        connection.Username = null; // derived from the token's sub

        var (exitCode, output) = await RunAsync(BotConsoleProgram.RunAsync, [connection.ConnectionString, workspace.TokenFile, "3", "0"]);

        Assert.Equal(0, exitCode);
        Assert.Contains($"Logged in as {EndToEndFixture.DefaultUser}", output, StringComparison.Ordinal);
        Assert.Contains($"tick 3: {EndToEndFixture.DefaultUser} at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotConsole_MissingTokenFile_ExitsWithMessageNamingTheFile()
    {
        using var workspace = new ExampleWorkspace(fixture.MintToken());
        var missing = Path.Combine(workspace.Directory, "absent.jwt");

        var (exitCode, output) = await RunAsync(BotConsoleProgram.RunAsync, [fixture.CreateConnectionStringBuilder(includeJwtOption: false).ConnectionString, missing, "1", "0"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("absent.jwt", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_AppSettingsWithFileProvider_PollsAndReportsHealthy()
    {
        var token = fixture.MintToken();
        using var workspace = new ExampleWorkspace(token, "Worker");

        var (exitCode, output) = await RunAsync(WorkerProgram.RunAsync, WorkerArgs(workspace));

        Assert.Equal(0, exitCode);
        Assert.Contains("health: Healthy", output, StringComparison.Ordinal);
        Assert.Contains($"poll 2: {EndToEndFixture.DefaultUser}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_MisspeltConfigurationKey_FailsAtStartNamingTheKey()
    {
        using var workspace = new ExampleWorkspace(fixture.MintToken(), "Worker");

        var (exitCode, output) = await RunAsync(WorkerProgram.RunAsync, [.. WorkerArgs(workspace), "--JwtSso:SafetyMargn=00:02:00"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("'JwtSso:SafetyMargn' (did you mean 'SafetyMargin'?)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("poll 1", output, StringComparison.Ordinal);
    }

    // Every invalid options object and every error in it shows at once: two cache-options errors; a cache-options error
    // and a connection-options one (the worker creates the cache before the host's ValidateOnStart pass).
    [Theory]
    [InlineData("--JwtSso:AssumedLifetime=00:00:30", "SafetyMargin (00:01:00) must be shorter than AssumedLifetime (00:00:30)")]
    [InlineData("--JwtSso:IdentityMap=only-two fields", "IdentityMap is not a valid identity map")]
    public async Task Worker_TwoInvalidSettings_FailsAtStartListingBoth(string secondSetting, string secondError)
    {
        using var workspace = new ExampleWorkspace(fixture.MintToken(), "Worker");

        var (exitCode, output) = await RunAsync(
            WorkerProgram.RunAsync,
            [.. WorkerArgs(workspace), "--JwtSso:MinRetryDelay=00:10:00", secondSetting]);

        Assert.Equal(1, exitCode);
        Assert.Contains("MinRetryDelay (00:10:00) must not exceed MaxRetryDelay (00:02:00)", output, StringComparison.Ordinal);
        Assert.Contains(secondError, output, StringComparison.Ordinal);
        Assert.DoesNotContain("poll 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_OptionOutOfRange_FailsAtStartNamingTheKeyAndRange()
    {
        using var workspace = new ExampleWorkspace(fixture.MintToken(), "Worker");

        var (exitCode, output) = await RunAsync(WorkerProgram.RunAsync, [.. WorkerArgs(workspace), "--JwtSso:RefreshAt=2"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("'JwtSso:RefreshAt': JwtTokenCacheOptions.RefreshAt must be between 0.05 and 0.95; it is 2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("poll 1", output, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task EfCoreApp_TwoRuns_InsertsThroughDbContextAndCountsBothRows()
    {
        const string database = "jwtsso_efcore_example";
        await fixture.Postgres!.CreateDatabaseAsync(database, owner: EndToEndFixture.DefaultUser);
        var token = fixture.MintToken();
        using var workspace = new ExampleWorkspace(token, "EfCoreApp");
        var connection = fixture.CreateConnectionStringBuilder(includeJwtOption: false);
        connection.Username = null;
        connection.Database = database;
        string[] args =
        [
            "--contentRoot", workspace.Directory,
            $"--ConnectionStrings:Cockroach={connection.ConnectionString}",
            $"--JwtSso:File:Path={workspace.TokenFile}",
        ];

        var first = await RunAsync(EfCoreAppProgram.RunAsync, args);
        var second = await RunAsync(EfCoreAppProgram.RunAsync, args);

        Assert.Equal((0, $"{EndToEndFixture.DefaultUser} has written 1 message(s)"), (first.ExitCode, first.Output.Trim()));
        Assert.Equal((0, $"{EndToEndFixture.DefaultUser} has written 2 message(s)"), (second.ExitCode, second.Output.Trim()));
    }

    private string[] WorkerArgs(ExampleWorkspace workspace) =>
    [
        "--contentRoot", workspace.Directory,
        $"--ConnectionStrings:Cockroach={fixture.CreateConnectionStringBuilder(includeJwtOption: false).ConnectionString}",
        $"--JwtSso:File:Path={workspace.TokenFile}",
        "--Poller:Iterations=2",
        "--Poller:Interval=00:00:00",
    ];

    private static async Task<(int ExitCode, string Output)> RunAsync(Func<string[], TextWriter, CancellationToken, Task<int>> entry, string[] args)
    {
        using var hangGuard = new CancellationTokenSource(HangGuard);
        await using var output = new StringWriter();
        var exitCode = await entry(args, TextWriter.Synchronized(output), hangGuard.Token);
        return (exitCode, output.ToString());
    }
}
