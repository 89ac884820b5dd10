using System.Diagnostics;
using Npgsql.JwtSso.EndToEnd.Tests.Examples;

namespace Npgsql.JwtSso.EndToEnd.Tests.Aot;

/// <summary>
/// Runs eng/check-aot.sh: tests/aot-smoke (every library package that claims AOT compatibility: all but EF Core and Gcp) published with native AOT must show no
/// trim/AOT warning, then read its appsettings.json through the strict binder, log in through the CockroachDB JWT-login
/// emulator with an Okta token from the local issuer, and run one query.
/// </summary>
public sealed class NativeAotSmokeTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task CheckAotScript_PublishedSmokeApp_NoTrimOrAotWarningsAndLogsIn()
    {
        var output = Directory.CreateTempSubdirectory("jwtsso-aot-");
        try
        {
            var start = new ProcessStartInfo("bash") { WorkingDirectory = ExampleWorkspace.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("eng/check-aot.sh");
            start.ArgumentList.Add(output.FullName);
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

            var text = await stdout + await stderr;
            Assert.True(process.ExitCode == 0, text);
            Assert.Contains("aot-smoke: logged in as aot_bot", text, StringComparison.Ordinal);
            Assert.Contains("aot: 0 warnings, smoke ok", text, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
