using System.Diagnostics;
using System.Reflection;

namespace Npgsql.JwtSso.Tool.Tests.Packaging;

/// <summary>
/// Runs eng/check-packages.sh against the build this test run already made (<c>dotnet pack --no-build</c>), so the
/// solution's test command also checks every nupkg: repository URL + commit, project URL, licence, readme, own tags,
/// release notes, the tool's RollForward, and that no package lets another shipping package see its internals.
/// </summary>
public sealed class PackageMetadataTests
{
    [Fact]
    public async Task CheckPackagesScript_EveryPackageOfThisBuild_PassesMetadataChecks()
    {
        var root = RepositoryRoot();
        var configuration = typeof(PackageMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "eng/check-packages.sh", "--no-build", "--no-restore", "-c", configuration })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, output);
        var packages = Directory.GetDirectories(Path.Combine(root, "src")).Count(d => Directory.GetFiles(d, "*.csproj").Length > 0);
        Assert.True(packages >= 9, $"found {packages} projects under src"); // core, DependencyInjection, Gcp, Azure, OAuth, Okta, EF Core, Testing, Tool
        Assert.Contains($"{packages} packages checked, 0 problem(s)", output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Npgsql.JwtSso.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Npgsql.JwtSso.sln not found above {AppContext.BaseDirectory}.");
    }
}
