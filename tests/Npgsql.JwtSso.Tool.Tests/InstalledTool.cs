using System.Diagnostics;

namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>
/// The packed tool, installed as a user installs it: <c>dotnet pack</c>, then <c>dotnet tool install --tool-path</c> from
/// that folder only (offline: a nuget.config that clears every other source). Done once per test run.
/// </summary>
internal static class InstalledTool
{
    private static readonly Lazy<Task<string>> ToolPath = new(InstallAsync);

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Npgsql.JwtSso.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The repository root (Npgsql.JwtSso.sln) was not found above the test binaries.");
        }
    }

    /// <summary>Returns the folder holding the installed <c>crdb-jwt</c>.</summary>
    public static Task<string> GetAsync() => ToolPath.Value;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? RepositoryRoot };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // hang guard only (pack on busy machines)
        await process.WaitForExitAsync(hang.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> InstallAsync()
    {
        var root = Directory.CreateTempSubdirectory("crdb-jwt-installed-").FullName;
        var feed = Path.Combine(root, "feed");
        var tools = Path.Combine(root, "tools");
        var pack = await RunAsync("dotnet", ["pack", Path.Combine(RepositoryRoot, "src", "Npgsql.JwtSso.Tool"), "-o", feed, "--nologo"]);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{pack.Stdout}\n{pack.Stderr}");
        }

        var config = Path.Combine(root, "nuget.config");
        await File.WriteAllTextAsync(config, "<?xml version=\"1.0\" encoding=\"utf-8\"?><configuration><packageSources><clear /></packageSources></configuration>");
        var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", feed, "Npgsql.JwtSso.Tool"], workingDirectory: root);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool install failed:\n{install.Stdout}\n{install.Stderr}");
        }

        return tools;
    }
}
