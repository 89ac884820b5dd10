namespace Npgsql.JwtSso.Testing.Tests;

/// <summary>One PostgreSQL server for the whole test run of this assembly.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public TestPostgres Postgres { get; } = new();

    public Task InitializeAsync() => Postgres.StartAsync();

    public Task DisposeAsync() => Postgres.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
