namespace Npgsql.JwtSso.Tool.Tests.Packaging;

/// <summary>
/// Runs eng/check-packages.sh against the build this test run already made (<c>dotnet pack --no-build</c>, through
/// <see cref="PackedLibraries"/>), so the solution's test command also checks every nupkg: repository URL + commit,
/// project URL, licence, readme, own tags, release notes, the tool's RollForward, and that no package lets another
/// shipping package see its internals.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageMetadataTests(PackedLibraries packed)
{
    [Fact]
    public void CheckPackagesScript_EveryPackageOfThisBuild_PassesMetadataChecks()
    {
        Assert.True(packed.CheckExitCode == 0, packed.CheckOutput);
        var packages = Directory.GetDirectories(Path.Combine(packed.Root, "src")).Count(d => Directory.GetFiles(d, "*.csproj").Length > 0);
        Assert.True(packages >= 9, $"found {packages} projects under src"); // core, DependencyInjection, Gcp, Azure, OAuth, Okta, EF Core, Testing, Tool
        Assert.Contains($"{packages} packages checked, 0 problem(s)", packed.CheckOutput, StringComparison.Ordinal);
    }
}
