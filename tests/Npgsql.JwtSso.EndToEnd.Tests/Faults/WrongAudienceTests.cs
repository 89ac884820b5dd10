using Npgsql.JwtSso.Benchmarks.Scenarios;

namespace Npgsql.JwtSso.EndToEnd.Tests.Faults;

/// <summary>PostgreSQL + the emulator + the issuer with every provider wired (the scenarios' bed), once for the class.</summary>
public sealed class ClusterBedFixture : IAsyncLifetime
{
    private readonly TestPostgres _postgres = new();

    public ScenarioBed Bed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.StartAsync();
        await _postgres.CreateRoleAsync(ScenarioBed.User);
        Bed = await ScenarioBed.StartAsync(new ScenarioContext { Postgres = _postgres });
    }

    public async Task DisposeAsync()
    {
        await Bed.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

/// <summary>
/// Each provider's token carries an audience the cluster does not accept: the open fails with
/// <see cref="JwtSsoErrorKind.ServerRejected"/> naming the audience, with a single IdP call (the rejected token was
/// freshly fetched, so RetryRejectedOpen does not fetch again), and succeeds once the cluster's setting is fixed.
/// </summary>
public sealed class WrongAudienceTests(ClusterBedFixture fixture) : IClassFixture<ClusterBedFixture>
{
    [Theory]
    [InlineData("generic")]
    [InlineData("gcp")]
    [InlineData("azure")]
    [InlineData("okta")]
    public async Task Open_TokenForAnotherAudience_ServerRejectedNamingAudience_OneIdpCall(string provider)
    {
        var bed = fixture.Bed;
        bed.Providers.Configure(bed.Emulator.Settings);
        bed.Emulator.Settings.Audience = "crdb-some-other-cluster";
        bed.Issuer.ResetRequests();
        var builder = new NpgsqlDataSourceBuilder(bed.ConnectionString(jwtOption: false).ConnectionString);
        builder.UseJwtSso(bed.Providers.Create(provider, bed.Time), o =>
        {
            o.AllowInsecureTransport = true;
            o.IdentityMap = bed.Providers.IdentityMap;
        });
        await using var source = builder.BuildJwtSso();

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await source.OpenConnectionAsync());

        Assert.Equal(JwtSsoErrorKind.ServerRejected, e.Kind);
        Assert.Contains("audience", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eyJ", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, bed.Issuer.RequestCount(ProviderKit.TokenEndpointName(provider)));

        bed.Providers.Configure(bed.Emulator.Settings);
        await using var connection = await source.OpenConnectionAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }
}
