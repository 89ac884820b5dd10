namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>Runs <c>crdb-jwt</c> in-process against the fixture's issuer and emulator.</summary>
[Collection(ToolCollection.Name)]
public abstract class ToolTestBase
{
    protected ToolTestBase(ToolFixture fixture)
    {
        Fixture = fixture;
        fixture.ResetCluster();
    }

    protected ToolFixture Fixture { get; }

    protected CockroachJwtSettings Cluster => Fixture.Emulator.Settings;

    /// <summary>Cluster settings as an admin connection would read them: the emulator's current values.</summary>
    internal ToolContext Context => new()
    {
        HttpHandlerFactory = Fixture.Issuer.CreateHttpClientHandler,
        ReadClusterSettings = (_, _) => Task.FromResult(ReadEmulatorSettings()),
    };

    protected string Mint(string sub = "alice", Action<JwtMintOptions>? configure = null)
    {
        var options = new JwtMintOptions { Subject = sub, Audience = ToolFixture.Audience };
        configure?.Invoke(options);
        return Fixture.Issuer.MintToken(options);
    }

    /// <summary>A connection string to the emulator without a password, as a user would pass it.</summary>
    protected string Connection(string user) => new NpgsqlConnectionStringBuilder(Fixture.Emulator.GetConnectionString(user)) { Options = null }.ConnectionString;

    /// <summary>A postgresql:// URL to the emulator with full TLS verification against its certificate.</summary>
    protected string SecureUrl(string userPart = "alice@", string extraQuery = "")
        => $"postgresql://{userPart}127.0.0.1:{Fixture.Emulator.Port}/postgres?sslmode=verify-full&sslrootcert={Uri.EscapeDataString(Fixture.EmulatorCaFile)}{extraQuery}";

    protected Task<ToolResult> RunAsync(params string[] args) => RunAsync(Context, args);

    internal static async Task<ToolResult> RunAsync(ToolContext context, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // hang guard only
        var exit = await Program.RunAsync(args, stdout, stderr, context, timeout.Token);
        return new ToolResult(exit, stdout.ToString(), stderr.ToString());
    }

    private ClusterJwtSettings ReadEmulatorSettings()
    {
        var s = Cluster;
        var settings = new ClusterJwtSettings();
        settings.Set(ClusterJwtSettings.EnabledName, s.Enabled ? "true" : "false");
        settings.Set(ClusterJwtSettings.IssuersName, s.IssuersConfiguration);
        settings.Set(ClusterJwtSettings.AudienceName, s.Audience);
        settings.Set(ClusterJwtSettings.ClaimName, s.Claim);
        settings.Set(ClusterJwtSettings.JwksName, s.Jwks);
        settings.Set(ClusterJwtSettings.AutoFetchName, s.JwksAutoFetchEnabled ? "true" : "false");
        settings.Set(ClusterJwtSettings.IdentityMapName, s.IdentityMapConfiguration);
        return settings;
    }
}

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
