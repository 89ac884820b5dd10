namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>
/// One PostgreSQL, one local issuer and one CockroachDB emulator for the whole run; tests in the collection run one at
/// a time and each resets the emulator to an enabled node that trusts the issuer.
/// </summary>
public sealed class ToolFixture : IAsyncLifetime
{
    public const string Audience = "crdb-cluster";

    public static readonly string[] LoginUsers = ["alice", "bob", "root"];

    public TestPostgres Postgres { get; } = new();

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public CockroachJwtEmulator Emulator { get; private set; } = null!;

    /// <summary>Gets a PEM file with the emulator's certificate, for sslmode=verify-full&amp;sslrootcert=….</summary>
    public string EmulatorCaFile { get; } = Path.Combine(Path.GetTempPath(), $"crdb-jwt-emulator-ca-{Guid.NewGuid():N}.crt");

    /// <summary>Gets a PEM file with the issuer's certificate, for --ca-file.</summary>
    public string IssuerCaFile { get; } = Path.Combine(Path.GetTempPath(), $"crdb-jwt-issuer-ca-{Guid.NewGuid():N}.crt");

    public async Task InitializeAsync()
    {
        await Postgres.StartAsync();
        foreach (var user in LoginUsers)
        {
            await Postgres.CreateRoleAsync(user);
        }

        await Postgres.CreateRoleAsync("carol_nologin", canLogin: false);
        Issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { DefaultAudience = Audience });
        Emulator = new CockroachJwtEmulator(Postgres);
        await Emulator.StartAsync();
        await File.WriteAllTextAsync(EmulatorCaFile, Emulator.CertificatePem);
        await File.WriteAllTextAsync(IssuerCaFile, Issuer.CertificatePem);
    }

    /// <summary>Enabled node, static JWKS of the issuer, issuer and audience configured, no map.</summary>
    public void ResetCluster()
    {
        var s = Emulator.Settings;
        s.Reset();
        s.Enabled = true;
        s.Jwks = Issuer.JwksJson;
        s.IssuersConfiguration = Issuer.Issuer;
        s.Audience = Audience;
        Emulator.ResetCounters();
        Issuer.Faults.ClearAll();
    }

    public async Task DisposeAsync()
    {
        await Emulator.DisposeAsync();
        await Issuer.DisposeAsync();
        await Postgres.DisposeAsync();
        File.Delete(EmulatorCaFile);
        File.Delete(IssuerCaFile);
    }
}

[CollectionDefinition(Name)]
public sealed class ToolCollection : ICollectionFixture<ToolFixture>
{
    public const string Name = "tool";
}
