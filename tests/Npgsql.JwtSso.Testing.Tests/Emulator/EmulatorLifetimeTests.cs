using System.Net;
using System.Net.Sockets;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>Construction, connection strings and failure isolation of <see cref="CockroachJwtEmulator"/>.</summary>
public sealed class EmulatorLifetimeTests(KitFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public void Ctor_NoPostgresConnectionString_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CockroachJwtEmulator(new CockroachJwtEmulatorOptions()));

        Assert.Contains("PostgresConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConnectionString_NotStarted_ThrowsWithHowToFix()
    {
        await using var emulator = new CockroachJwtEmulator(Fixture.Postgres);

        var ex = Assert.Throws<InvalidOperationException>(() => emulator.GetConnectionString("u"));

        Assert.Contains("StartAsync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetConnectionString_Started_CarriesJwtFlagTlsAndNoGss()
    {
        var builder = new NpgsqlConnectionStringBuilder(Emulator.GetConnectionString("test_user1", "tok"));

        Assert.Equal("--crdb:jwt_auth_enabled=true", builder.Options);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal(GssEncryptionMode.Disable, builder.GssEncryptionMode);
        Assert.Equal(Emulator.Port, builder.Port);
        Assert.Equal("tok", builder.Password);
        Assert.True(builder.IncludeErrorDetail);
    }

    [Fact]
    public async Task Login_PostgresUnreachable_ConnectionFailsAndEmulatorStillDisposesCleanly()
    {
        var emulator = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions { PostgresConnectionString = $"Host=127.0.0.1;Port={UnusedPort()};Username=postgres;Timeout=5" });
        emulator.Settings.Enabled = true;
        emulator.Settings.Jwks = Jwks(Fixture.Key1);
        emulator.Settings.IssuersConfiguration = "issuer1";
        emulator.Settings.Audience = "test_cluster";
        await emulator.StartAsync();

        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => LoginAsync("test_user1", Mint(), emulator: emulator));

        Assert.IsNotType<PostgresException>(ex);
        Assert.Equal(1, emulator.LoginsAttempted);
        await emulator.DisposeAsync();
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
