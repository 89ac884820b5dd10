namespace Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>One PostgreSQL server for the whole run; each test puts its own issuer and emulator in front of it.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public TestPostgres Postgres { get; } = new();

    public Task InitializeAsync() => Postgres.StartAsync();

    public async Task DisposeAsync() => await Postgres.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "efcore-postgres";
}
