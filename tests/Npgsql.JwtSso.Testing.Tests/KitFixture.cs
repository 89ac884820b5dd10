namespace Npgsql.JwtSso.Testing.Tests;

/// <summary>
/// One PostgreSQL server, one local issuer and one emulator for the whole test run of this assembly. Tests in the
/// collection run one at a time, so each may reset and change the emulator's settings.
/// </summary>
public sealed class KitFixture : IAsyncLifetime
{
    /// <summary>SQL users every emulator test can log in as (the names of crdb-jwt-server §5).</summary>
    public static readonly string[] LoginUsers = ["test_user1", "test_user2", "invalid_user", "jwt_user", "root", "crdb_internal_x", "1"];

    public TestPostgres Postgres { get; } = new();

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public CockroachJwtEmulator Emulator { get; private set; } = null!;

    /// <summary>RSA-2048 RS256 key with kid <c>test_kid1</c>.</summary>
    public LocalSigningKey Key1 { get; } = LocalSigningKey.CreateRsa("test_kid1");

    /// <summary>ECDSA key with kid <c>test_kid2</c>.</summary>
    public LocalSigningKey Key2 { get; } = LocalSigningKey.CreateEcdsa("test_kid2");

    public async Task InitializeAsync()
    {
        await Postgres.StartAsync();
        foreach (var user in LoginUsers)
        {
            await Postgres.CreateRoleAsync(user);
        }

        await Postgres.CreateRoleAsync("nologin_user", canLogin: false);
        Issuer = await LocalJwtIssuer.StartAsync();
        Issuer.AddKey(Key1);
        Issuer.AddKey(Key2);
        Emulator = new CockroachJwtEmulator(Postgres);
        await Emulator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Emulator.DisposeAsync();
        await Issuer.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class KitCollection : ICollectionFixture<KitFixture>
{
    public const string Name = "kit";
}
