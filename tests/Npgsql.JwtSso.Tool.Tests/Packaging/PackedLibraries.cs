using System.Diagnostics;
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
    public string Root { get; } = RepositoryRoot();

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
        (CheckExitCode, CheckOutput) = await RunAsync(
            "bash",
            Root,
            new Dictionary<string, string> { ["PACKAGES_OUT"] = Feed },
            "eng/check-packages.sh", "--no-build", "--no-restore", "-c", Configuration, $"-p:PackageVersion={Version}");
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs a process to its end and returns its exit code and its stdout followed by its stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
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

/// <summary>The tests that share one packing of the libraries (<see cref="PackedLibraries"/>).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedLibraries>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packaging";
}
