using Xunit;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

/// <summary>One redis-server for the tests that do not break it; each test isolates itself with its own key prefix.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public TestRedis Server { get; } = new();

    public Task InitializeAsync() => Server.StartAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis-server";
}
