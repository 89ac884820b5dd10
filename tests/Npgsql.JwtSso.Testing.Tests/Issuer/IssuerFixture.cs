using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

/// <summary>One issuer on a fake clock, shared by the tests of a class (starting one per test costs a key generation).</summary>
public sealed class IssuerFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public async Task InitializeAsync() => Issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = Time });

    public async Task DisposeAsync() => await Issuer.DisposeAsync();

    /// <summary>Puts the shared issuer back to a clean state: no faults, empty request log.</summary>
    public LocalJwtIssuer Reset()
    {
        Issuer.Faults.ClearAll();
        Issuer.ResetRequests();
        return Issuer;
    }
}
