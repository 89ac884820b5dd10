namespace Npgsql.JwtSso.Tool.Tests.Packaging;

/// <summary>
/// Issue 17: the packages' dependency floors are the lowest versions that work (10.0.0 for Microsoft.Extensions.*), so an
/// application pinned at 10.0.0 restores them without NU1605 (a package downgrade). tests/consumer-floor is that
/// application; this builds it against the nupkgs of this test run (<see cref="PackedLibraries"/>), from a local feed,
/// and runs it. The restore uses a packages folder of its own, with the machine's NuGet cache as a read-only fallback,
/// so it works offline and leaves the cache untouched.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class ConsumerFloorTests(PackedLibraries packed)
{
    [Fact]
    public async Task ConsumerPinnedAtExtensions10_0_0_RestoresBuildsAndRunsAgainstThePackages()
    {
        var work = packed.Scratch("consumer-floor");
        var (exitCode, stdout, stderr) = await InstalledTool.RunAsync(
            "dotnet",
            [
                "build", "tests/consumer-floor/ConsumerFloor.csproj", "-c", packed.Configuration, "--nologo", "--disable-build-servers",
                $"-p:JwtSsoPackageVersion={packed.Version}",
                $"-p:RestoreAdditionalProjectSources={packed.Feed}",
                $"-p:RestorePackagesPath={Path.Combine(work, "packages")}",
                $"-p:RestoreFallbackFolders={NuGetCache()}",
                $"-p:BaseIntermediateOutputPath={Path.Combine(work, "obj")}/",
                $"-p:OutputPath={Path.Combine(work, "bin")}/",
                "-p:WarningsAsErrors=NU1605",
            ]);
        var output = stdout + stderr;

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("NU1605", output, StringComparison.Ordinal);
        var assets = await File.ReadAllTextAsync(Path.Combine(work, "obj", "project.assets.json"));
        foreach (var id in new[] { "Npgsql.JwtSso", "Npgsql.JwtSso.DependencyInjection", "Npgsql.JwtSso.Gcp", "Npgsql.JwtSso.OAuth", "Npgsql.JwtSso.Okta", "Npgsql.JwtSso.Redis" })
        {
            Assert.Contains($"\"{id}/{packed.Version}\"", assets, StringComparison.Ordinal); // the packed nupkg, not a project reference
        }

        Assert.Contains("\"Microsoft.Extensions.Options/10.0.0\"", assets, StringComparison.Ordinal);

        var run = await InstalledTool.RunAsync("dotnet", [Path.Combine(work, "bin", "ConsumerFloor.dll")], workingDirectory: work);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal("ok", run.Stdout.Trim());
    }

    private static string NuGetCache()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
