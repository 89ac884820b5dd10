using Npgsql.JwtSso.EndToEnd.Tests.Examples;

namespace Npgsql.JwtSso.EndToEnd.Tests.Aot;

/// <summary>
/// Runs eng/check-aot.sh: tests/aot-smoke (every library package that claims AOT compatibility: all but EF Core and Gcp)
/// published with native AOT must show no trim/AOT warning, then read its appsettings.json through the strict binder and
/// log in through the CockroachDB JWT-login emulator with the Okta source (its token shared through Redis) and the generic
/// OAuth source, one query each. One publish (minutes): the only test that runs the native AOT toolchain.
/// </summary>
public sealed class NativeAotSmokeTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(20);

    [NativeAotFact]
    public async Task CheckAotScript_PublishedSmokeApp_NoTrimOrAotWarningsAndLogsIn()
    {
        var output = Directory.CreateTempSubdirectory("jwtsso-aot-");
        try
        {
            var (exitCode, text) = await RepositoryScript.RunAsync(["eng/check-aot.sh", output.FullName], HangGuard);
            Assert.True(exitCode == 0, text);
            Assert.Contains("aot-smoke: logged in as aot_bot", text, StringComparison.Ordinal);
            Assert.Contains("aot: 0 warnings, smoke ok", text, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}

/// <summary>Skipped, with the reason, when the native AOT linker (clang, zlib1g-dev) or redis-server is missing (.ci/run installs them).</summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        var missing = new[] { ("clang", OnPath("clang")), ("zlib1g-dev", File.Exists("/usr/include/zlib.h")), ("redis-server", File.Exists("/usr/bin/redis-server")) }
            .Where(t => !t.Item2).Select(t => t.Item1).ToList();
        if (missing.Count > 0)
        {
            Skip = $"Native AOT smoke check needs {string.Join(", ", missing)}: install the Debian package(s) (.ci/run does it).";
        }
    }

    private static bool OnPath(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
