using Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

namespace Npgsql.JwtSso.EndToEnd.Tests;

/// <summary>The first end-to-end path: a minted token as the password of a data source, over TLS, to the target.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class EmulatorLoginTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task DataSource_PasswordIsMintedToken_OpensAndRunsSelectCurrentUser()
    {
        var builder = fixture.CreateConnectionStringBuilder();
        builder.Password = fixture.MintToken();
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);

        await using var command = dataSource.CreateCommand("select current_user");

        Assert.Equal(EndToEndFixture.DefaultUser, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task DataSource_TokenForAnotherUser_RejectedAsInvalidPrincipal()
    {
        var builder = fixture.CreateConnectionStringBuilder();
        builder.Password = fixture.MintToken("someone_else");
        builder.Pooling = false;
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);

        var ex = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal("28000", ex.SqlState);
        Assert.Equal("JWT authentication: invalid principal", ex.MessageText);
        Assert.Equal($"token issued for [someone_else] and login was for {EndToEndFixture.DefaultUser}", ex.Detail);
    }

    [EmulatorFact]
    public async Task Emulator_SuccessfulOpen_CountedAsSucceededLogin()
    {
        var before = fixture.Emulator!.LoginsSucceeded;
        var builder = fixture.CreateConnectionStringBuilder();
        builder.Password = fixture.MintToken();
        builder.Pooling = false;

        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
        }

        Assert.True(fixture.Emulator.LoginsSucceeded > before);
    }

    [RealClusterFact]
    public async Task RealCluster_SettingsApplied_JwtAuthenticationEnabled()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrlFor());
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW CLUSTER SETTING server.jwt_authentication.enabled", connection);

        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    private static string PostgresUrlFor() => CockroachConnectionString.ParseUrl(EndToEndTarget.CockroachUrl!).ConnectionString;
}
