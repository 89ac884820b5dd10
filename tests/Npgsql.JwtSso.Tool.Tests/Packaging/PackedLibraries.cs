using System.Reflection;

namespace Npgsql.JwtSso.Tool.Tests.Packaging;

/// <summary>
/// Packs every project under src/ once per test run: eng/check-packages.sh with <c>dotnet pack --no-build</c> of the build
/// this test run already made, into a temporary folder that then serves as a local package feed. The packages get a
/// version of their own (<see cref="Version"/>), so a restore can never pick up an older build of them from a NuGet cache.
/// </summary>
public sealed class PackedLibraries : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("jwtsso-packages-").FullName;

    /// <summary>Gets the repository root.</summary>
    public string Root { get; } = InstalledTool.RepositoryRoot;

    /// <summary>Gets the build configuration of this test run (Debug or Release), the one that was packed.</summary>
    public string Configuration { get; } = typeof(PackedLibraries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    /// <summary>Gets the version every package of this run carries.</summary>
    public string Version { get; } = $"0.1.0-packed.g{Guid.NewGuid():N}";

    /// <summary>Gets the folder holding the nupkgs (a local feed).</summary>
    public string Feed => Path.Combine(_work, "feed");

    /// <summary>Gets a scratch folder for a test, removed with the packages.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(Path.Combine(_work, name)).FullName;

    /// <summary>Gets the exit code of eng/check-packages.sh.</summary>
    public int CheckExitCode { get; private set; }

    /// <summary>Gets the report of eng/check-packages.sh (stdout and stderr).</summary>
    public string CheckOutput { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var (exitCode, stdout, stderr) = await InstalledTool.RunAsync(
            "bash",
            ["eng/check-packages.sh", "--no-build", "--no-restore", "-c", Configuration, $"-p:PackageVersion={Version}"],
            environment: new Dictionary<string, string> { ["PACKAGES_OUT"] = Feed });
        (CheckExitCode, CheckOutput) = (exitCode, stdout + stderr);
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The tests that share one packing of the libraries (<see cref="PackedLibraries"/>).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedLibraries>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packaging";
}
