using Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

namespace Npgsql.JwtSso.EndToEnd.Tests;

/// <summary>The library's own wiring (UseJwtSso: options flag, password provider, refresh cache) against the target.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class UseJwtSsoTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task UseJwtSso_TokenSourceMintingFromLocalIssuer_OpensAndRunsSelectCurrentUser()
    {
        var source = new CountingTokenSource(() => fixture.MintToken());
        var builder = new NpgsqlDataSourceBuilder(fixture.CreateConnectionStringBuilder(includeJwtOption: false).ConnectionString);
        builder.UseJwtSso(source);
        await using var dataSource = builder.BuildJwtSso();

        await using var command = dataSource.CreateCommand("select current_user");

        Assert.Equal(EndToEndFixture.DefaultUser, await command.ExecuteScalarAsync());
        Assert.True(source.Calls >= 1);
    }

    [Fact]
    public async Task UseJwtSso_SlimBuilderWithVerifyFull_OpensOverTlsAndRunsSelectCurrentUser()
    {
        var source = new CountingTokenSource(() => fixture.MintToken());
        var builder = new NpgsqlSlimDataSourceBuilder(fixture.CreateConnectionStringBuilder(includeJwtOption: false).ConnectionString);
        builder.UseJwtSso(source);
        await using var dataSource = await builder.BuildJwtSsoAsync();

        await using var command = dataSource.CreateCommand("select current_user");

        Assert.Equal(EndToEndFixture.DefaultUser, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task UseJwtSso_SlimBuilderPlainBuild_OpensOverTls()
    {
        var builder = new NpgsqlSlimDataSourceBuilder(fixture.CreateConnectionStringBuilder(includeJwtOption: false).ConnectionString);
        builder.UseJwtSso(new CountingTokenSource(() => fixture.MintToken()));
        await using var dataSource = builder.Build();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(EndToEndFixture.DefaultUser, connection.UserName);
    }
}
