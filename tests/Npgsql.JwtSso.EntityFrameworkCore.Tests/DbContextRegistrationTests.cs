using Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

namespace Npgsql.JwtSso.EntityFrameworkCore.Tests;

/// <summary>UseNpgsqlJwtSso in AddDbContext, AddDbContextPool and AddDbContextFactory, default and named instances.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DbContextRegistrationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task AddDbContext_DefaultInstance_SavesAndQueriesAsTheTokenSubject()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_plain");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_plain", database);
        services.AddDbContext<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
            await db.Database.EnsureCreatedAsync();
            db.Notes.Add(new Note { Body = "first" });
            await db.SaveChangesAsync();
        }

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
            Assert.Equal("ef_plain", await db.CurrentUserAsync());
            Assert.Equal(["first"], await db.Notes.Select(n => n.Body).ToListAsync());
        }

        Assert.Equal(1, bed.IdpCalls);
    }

    [Fact]
    public async Task AddDbContextPool_ManyRentals_ShareOnePoolAndOneToken()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_pooled");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_pooled", database);
        services.AddDbContextPool<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp), poolSize: 4);
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OrdersDb>().Database.EnsureCreatedAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
            db.Notes.Add(new Note { Body = $"note {i}" });
            await db.SaveChangesAsync();
        }));

        await using (var scope = provider.CreateAsyncScope())
        {
            Assert.Equal(16, await scope.ServiceProvider.GetRequiredService<OrdersDb>().Notes.CountAsync());
        }

        Assert.Equal(1, bed.IdpCalls);
    }

    [Fact]
    public async Task AddDbContextFactory_CreatesContextsThatLogInWithTheToken()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_factory");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_factory", database);
        services.AddDbContextFactory<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IDbContextFactory<OrdersDb>>();

        await using var db = await factory.CreateDbContextAsync();
        await db.Database.EnsureCreatedAsync();
        db.Notes.Add(new Note { Body = "from a factory" });
        await db.SaveChangesAsync();

        Assert.Equal("ef_factory", await db.CurrentUserAsync());
        Assert.Equal(1, await db.Notes.CountAsync());
    }

    [Fact]
    public async Task TwoNamedInstances_TwoDbContexts_EachLogsInAsItsOwnUserAndDatabase()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var ordersDatabase = await bed.CreateUserDatabaseAsync("ef_orders");
        var billingDatabase = await bed.CreateUserDatabaseAsync("ef_billing");
        var services = new ServiceCollection();
        bed.AddInstance(services, "ef_orders", ordersDatabase, name: "orders");
        bed.AddInstance(services, "ef_billing", billingDatabase, name: "billing");
        services.AddDbContextPool<OrdersDb>((sp, options) => options.UseNpgsqlJwtSso(sp, "orders"));
        services.AddDbContext<BillingDb>((sp, options) => options.UseNpgsqlJwtSso(sp, "billing"));
        await using var provider = services.BuildServiceProvider();

        await using var scope = provider.CreateAsyncScope();
        var orders = scope.ServiceProvider.GetRequiredService<OrdersDb>();
        var billing = scope.ServiceProvider.GetRequiredService<BillingDb>();
        await orders.Database.EnsureCreatedAsync();
        await billing.Database.EnsureCreatedAsync();
        orders.Notes.Add(new Note { Body = "order" });
        billing.Notes.Add(new Note { Body = "invoice" });
        await orders.SaveChangesAsync();
        await billing.SaveChangesAsync();

        Assert.Equal("ef_orders", await orders.CurrentUserAsync());
        Assert.Equal("ef_billing", await billing.CurrentUserAsync());
        Assert.Equal(["order"], await orders.Notes.Select(n => n.Body).ToListAsync());
        Assert.Equal(["invoice"], await billing.Notes.Select(n => n.Body).ToListAsync());
        Assert.Equal(2, bed.IdpCalls);
    }

    [Fact]
    public void UseNpgsqlJwtSso_NoDataSourceForTheInstance_ThrowsNamingTheRegistration()
    {
        var services = new ServiceCollection();
        services.AddNpgsqlJwtSso("billing").AddStaticToken("a.b.c");
        services.AddDbContext<BillingDb>((sp, options) => options.UseNpgsqlJwtSso(sp, "billing"));
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<BillingDb>().Model);

        Assert.Contains("instance 'billing'", error.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddNpgsqlJwtSso(\"billing\").AddDataSource(connectionString)", error.Message, StringComparison.Ordinal);
    }
}
