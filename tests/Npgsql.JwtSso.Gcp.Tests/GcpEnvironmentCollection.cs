using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>
/// Tests that set process-wide state read by Google's library (GCE_METADATA_HOST, GOOGLE_APPLICATION_CREDENTIALS,
/// HOME). Google's library builds its metadata-server URLs from GCE_METADATA_HOST; the source no longer uses its
/// process-wide detection and application-default caches. They run one at a time against one shared issuer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GcpEnvironmentCollection : ICollectionFixture<GcpMetadataFixture>
{
    public const string Name = "GCP process environment";
}

public sealed class GcpMetadataFixture : IAsyncLifetime
{
    private static readonly string[] Variables = ["GCE_METADATA_HOST", "GOOGLE_APPLICATION_CREDENTIALS", "HOME", "CLOUDSDK_CONFIG"];
    private readonly Dictionary<string, string?> _saved = [];
    private string _home = null!;

    internal GcpTestBed Bed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Bed = await GcpTestBed.StartAsync();
        foreach (var name in Variables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        _home = Directory.CreateTempSubdirectory("npgsql-jwtsso-gcp-home-").FullName;
        Environment.SetEnvironmentVariable("HOME", _home); // no gcloud application-default file
        Environment.SetEnvironmentVariable("CLOUDSDK_CONFIG", Path.Combine(_home, "gcloud"));
        Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", null);
        Environment.SetEnvironmentVariable("GCE_METADATA_HOST", Bed.Issuer.Gcp.MetadataHost);
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Directory.Delete(_home, recursive: true);
        await Bed.DisposeAsync();
    }

    /// <summary>Sets an environment variable for the rest of one test; dispose to restore it.</summary>
    internal static IDisposable Override(string name, string? value)
    {
        var saved = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        return new Restore(() => Environment.SetEnvironmentVariable(name, saved));
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
