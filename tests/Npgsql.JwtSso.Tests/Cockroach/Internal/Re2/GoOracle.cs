using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Npgsql.JwtSso.Tests.Cockroach.Internal.Re2;

/// <summary>
/// Runs tests/re2-oracle/oracle (Go's own regexp evaluating identity maps as CockroachDB does), built once per test
/// run with the local Go toolchain only (no module downloads), all cases in one JSON batch.
/// </summary>
internal static class GoOracle
{
    public static string? GoExecutable { get; } = FindGo();

    public static string SkipReason => "Go is not installed (Debian package golang-go; .ci/run installs it): the differential test against Go's regexp cannot run.";

    public static IReadOnlyList<OracleResult> Run(IReadOnlyList<MapCase> cases)
    {
        var source = FindOracleSource();
        var work = Directory.CreateTempSubdirectory("re2-oracle-");
        try
        {
            var binary = Path.Combine(work.FullName, "oracle");
            RunProcess(GoExecutable!, ["build", "-o", binary, "."], source, work.FullName, null);
            var input = JsonSerializer.Serialize(cases, Json.Options);
            var output = RunProcess(binary, [], source, work.FullName, input);
            return JsonSerializer.Deserialize<List<OracleResult>>(output, Json.Options) ?? throw new InvalidOperationException("The oracle printed no results.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string RunProcess(string file, string[] args, string directory, string work, string? stdin)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["GOTOOLCHAIN"] = "local";
        info.Environment["GOPROXY"] = "off";
        info.Environment["GOFLAGS"] = "-buildvcs=false";
        info.Environment["GOCACHE"] = Path.Combine(work, "gocache");
        info.Environment["GOPATH"] = Path.Combine(work, "gopath");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? string.Empty);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }

    private static string? FindGo()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/lib/go/bin"))
        {
            var candidate = Path.Combine(dir, "go");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindOracleSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "re2-oracle", "oracle");
            if (File.Exists(Path.Combine(candidate, "main.go")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/re2-oracle/oracle not found above the test binaries.");
    }
}

internal sealed record MapCase(string Config, bool IgnoreCase, string Issuer, IReadOnlyList<string> Principals)
{
    [JsonIgnore]
    public string Label { get; init; } = string.Empty;
}

internal sealed record OracleResult(string? Error, List<List<string>>? Names, bool Rewritten);

internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

/// <summary>Marks a test that needs Go; skipped with the reason when it is not installed (xunit 2 has no dynamic skip).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class GoOracleFactAttribute : Xunit.FactAttribute
{
    public GoOracleFactAttribute()
    {
        if (GoOracle.GoExecutable is null)
        {
            Skip = GoOracle.SkipReason;
        }
    }
}
