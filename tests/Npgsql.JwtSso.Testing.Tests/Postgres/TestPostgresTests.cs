namespace Npgsql.JwtSso.Testing.Tests.Postgres;

[Collection(KitCollection.Name)]
public sealed class TestPostgresTests(KitFixture fixture)
{
    private readonly TestPostgres _pg = fixture.Postgres;

    [Fact]
    public async Task ConnectionString_Superuser_RunsQueriesAsPostgres()
    {
        await using var connection = new NpgsqlConnection(_pg.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user || ' ' || current_setting('max_connections') || ' ' || current_setting('fsync')", connection);

        Assert.Equal("postgres 300 off", await command.ExecuteScalarAsync());
        Assert.Equal("127.0.0.1", _pg.Host);
    }

    [Fact]
    public async Task CreateRoleAsync_LoginAndNoLogin_SetsRolCanLogin()
    {
        await _pg.CreateRoleAsync("tp_login");
        await _pg.CreateRoleAsync("tp_Nologin", canLogin: false);
        await _pg.CreateRoleAsync("tp_login"); // idempotent

        await using var connection = new NpgsqlConnection(_pg.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select string_agg(rolname || '=' || rolcanlogin, ',' order by rolname) from pg_roles where rolname like 'tp_%'", connection);

        Assert.Equal("tp_Nologin=false,tp_login=true", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CreateDatabaseAsync_WithOwner_UserCanConnectToIt()
    {
        await _pg.CreateRoleAsync("tp_owner");
        await _pg.CreateDatabaseAsync("tp_db", owner: "tp_owner");
        await _pg.CreateDatabaseAsync("tp_db"); // idempotent

        await using var connection = new NpgsqlConnection(_pg.GetConnectionString("tp_owner", "tp_db"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user || '@' || current_database()", connection);

        Assert.Equal("tp_owner@tp_db", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_StopsAndDeletesDirectory()
    {
        var pg = new TestPostgres();
        await pg.StartAsync();
        var dir = pg.WorkingDirectory!;
        Assert.True(Directory.Exists(dir));

        await pg.DisposeAsync();

        Assert.False(Directory.Exists(dir));
        Assert.False(pg.IsRunning);
        Assert.Throws<ObjectDisposedException>(() => pg.ConnectionString);
    }

    [Fact]
    public async Task StartAsync_BinDirectoryWithoutTools_ThrowsNamingTheDirectory()
    {
        await using var pg = new TestPostgres(new TestPostgresOptions { BinDirectory = "/nonexistent-pg-bin" });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => pg.StartAsync());

        Assert.Contains("/nonexistent-pg-bin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("initdb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionString_NotStarted_ThrowsWithHowToFix()
    {
        var pg = new TestPostgres();

        var ex = Assert.Throws<InvalidOperationException>(() => pg.ConnectionString);

        Assert.Contains("StartAsync", ex.Message, StringComparison.Ordinal);
    }
}
