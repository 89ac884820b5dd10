namespace Npgsql.JwtSso.EndToEnd.Tests.Examples;

/// <summary>
/// A temporary directory for one example run: a token file (what a Kubernetes projected token or a sidecar would
/// provide) and, as the host's content root, a copy of the example's own appsettings.json.
/// </summary>
internal sealed class ExampleWorkspace : IDisposable
{
    public ExampleWorkspace(string token, string? example = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("jwtsso-example-").FullName;
        TokenFile = Path.Combine(Directory, "token.jwt");
        File.WriteAllText(TokenFile, token);
        if (example is not null)
        {
            File.Copy(Path.Combine(RepositoryRoot(), "examples", example, "appsettings.json"), Path.Combine(Directory, "appsettings.json"));
        }
    }

    public string Directory { get; }

    public string TokenFile { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    internal static string RepositoryRoot()
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
