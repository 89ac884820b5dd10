using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.EndToEnd.Tests.Okta;

/// <summary>PostgreSQL, the local issuer (with its emulated Okta org) and the CockroachDB emulator, once for the Okta end-to-end tests.</summary>
public sealed class OktaLoginFixture : IAsyncLifetime
{
    public const string SqlUser = "okta_svc";

    public TestPostgres Postgres { get; } = new();

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public CockroachJwtEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.StartAsync();
        await Postgres.CreateRoleAsync(SqlUser);
        Issuer = await LocalJwtIssuer.StartAsync();
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
