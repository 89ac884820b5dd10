using Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

namespace Npgsql.JwtSso.EntityFrameworkCore.Tests;

/// <summary>
/// Opens EF Core makes itself, when the cluster rejects the cached token: a key rotation on the cluster side, token
/// refreshes on a fake clock, execution strategies and user transactions. IdP calls are counted at the issuer.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RejectionRecoveryTests(PostgresFixture fixture)
{
    [Fact]
    public async Task KeyRotationMidRun_EveryOpenLogsIn_NoOperationFailsAndOneExtraIdpCall()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_rotation");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_rotation", database, pooling: false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);

        var failures = 0;
        for (var i = 0; i < 20; i++)
        {
            if (i == 10)
            {
                bed.RotateClusterKeys();
            }

            try
            {
                await WriteAndReadAsync(provider, i);
            }
            catch (Exception e) when (e is JwtSsoException or NpgsqlException or DbUpdateException)
            {
                failures++;
            }
        }

        Assert.Equal(0, failures);
        Assert.Equal(2, bed.IdpCalls); // the first token, then one after the rotation
        Assert.Equal(1, bed.Emulator.LoginsRejected);
        await using var scope = provider.CreateAsyncScope();
        Assert.Equal(20, await scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.CountAsync());
    }

    [Fact]
    public async Task KeyRotation_PooledContextsAfterThePoolIsRecycled_SyncAndAsyncQueriesSucceed()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_rotpool");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_rotpool", database);
        services.AddDbContextPool<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);
        await WriteAndReadAsync(provider, 0);

        bed.RotateClusterKeys();
        provider.GetRequiredService<JwtSsoDataSource>().Inner.Clear(); // physical connections are replaced: new logins

        using (var scope = provider.CreateScope())
        {
            Assert.Equal(1, scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.Count()); // sync open
        }

        await WriteAndReadAsync(provider, 1);
        Assert.Equal(2, bed.IdpCalls);
        Assert.Equal(1, bed.Emulator.LoginsRejected);
    }

    [Fact]
    public async Task SeveralTokenRefreshes_OnAFakeClock_QueriesAndSaveChangesKeepSucceeding()
    {
        var lifetime = TimeSpan.FromMinutes(10);
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres, lifetime);
        var database = await bed.CreateUserDatabaseAsync("ef_refresh");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_refresh", database, pooling: false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);

        for (var step = 1; step <= 5; step++)
        {
            bed.Time.Advance(lifetime + TimeSpan.FromSeconds(1)); // the previous token has expired on both sides
            await WriteAndReadAsync(provider, step);
            Assert.Equal(1 + step, bed.IdpCalls);
        }

        Assert.Equal(0, bed.Emulator.LoginsRejected);
        await using var scope = provider.CreateAsyncScope();
        Assert.Equal(5, await scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.CountAsync());
    }

    [Fact]
    public async Task KeyRotation_WithEnableRetryOnFailure_TransactionInsideTheStrategyCommits()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_strategy");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_strategy", database, pooling: false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp, npgsqlOptionsAction: npgsql => npgsql.EnableRetryOnFailure()));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);
        bed.RotateClusterKeys();

        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
        var strategy = db.Database.CreateExecutionStrategy();
        Assert.True(strategy.RetriesOnFailure); // the user's strategy is kept
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new Note { Body = "in a transaction" });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        });

        Assert.Equal(1, await db.Notes.CountAsync());
        Assert.Equal(2, bed.IdpCalls);
        Assert.Equal(1, bed.Emulator.LoginsRejected);
    }

    [Fact]
    public async Task KeyRotation_UserTransactionWithoutStrategy_BeginsOnTheRetriedOpen()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_usertx");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_usertx", database, pooling: false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);
        bed.RotateClusterKeys();

        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Notes.Add(new Note { Body = "a" });
            await db.SaveChangesAsync();
            db.Notes.Add(new Note { Body = "b" });
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Equal(2, await db.Notes.CountAsync());
        Assert.Equal(1, bed.Emulator.LoginsRejected);
    }

    [Fact]
    public async Task KeyRotation_PlainUseNpgsqlOnTheInnerDataSource_FailsBecauseNothingRetriesItsOpens()
    {
        // What UseNpgsqlJwtSso replaces (and why the README says the registered NpgsqlDataSource does not retry).
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_nointc");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_nointc", database, pooling: false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);
        bed.RotateClusterKeys();

        await using var scope = provider.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<PostgresException>(() => scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.CountAsync());

        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, error.SqlState);
        Assert.Equal(1, bed.IdpCalls);
    }

    [Fact]
    public async Task KeyRotation_DataSourceWithRetryRejectedOpenOff_FailsOnceWithoutASecondFetch()
    {
        // The connection options belong to the data source EF Core uses: turning the retry off there reaches its interceptor.
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_noretry");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_noretry", database, pooling: false, connection: o => o.RetryRejectedOpen = false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);
        bed.RotateClusterKeys();

        await using var scope = provider.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<JwtSsoException>(() => scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.CountAsync());

        Assert.Equal(JwtSsoErrorKind.ServerRejected, error.Kind);
        Assert.Equal(1, bed.Emulator.LoginsRejected);
        Assert.Equal(1, bed.IdpCalls); // no fresh token was fetched for a retry
    }

    [Fact]
    public async Task ClusterRejectsEveryToken_QueryFailsWithJwtSsoExceptionNamingTheSetting()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_audience");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_audience", database, pooling: false);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        await CreateSchemaAsync(provider);
        bed.Emulator.Settings.Set("server.jwt_authentication.audience", "some-other-audience");

        await using var scope = provider.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<JwtSsoException>(() => scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.CountAsync());

        Assert.Equal(JwtSsoErrorKind.ServerRejected, error.Kind);
        Assert.Contains("server.jwt_authentication.audience", error.Message, StringComparison.Ordinal);
        Assert.InRange(bed.Emulator.LoginsRejected, 1, 2); // at most one retry for the open, never a loop
    }

    private static async Task CreateSchemaAsync(IServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrdersDb>().Database.EnsureCreatedAsync();
    }

    private static async Task WriteAndReadAsync(IServiceProvider provider, int i)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
        db.Notes.Add(new Note { Body = $"note {i}" });
        await db.SaveChangesAsync();
        Assert.True(await db.Notes.AnyAsync(n => n.Body == $"note {i}"));
    }
}
