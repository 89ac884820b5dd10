using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace Npgsql.JwtSso.EntityFrameworkCore.Tests;

/// <summary>
/// .NET Aspire's Aspire.Npgsql and Aspire.Npgsql.EntityFrameworkCore.PostgreSQL with JWT SSO: Aspire's data-source
/// registration first, the JWT SSO data source after it (so every NpgsqlDataSource consumer gets the JWT one), and
/// <c>EnrichNpgsqlDbContext</c> on a context configured with <c>UseNpgsqlJwtSso</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AspireTests(PostgresFixture fixture)
{
    [Fact]
    public async Task AspireDataSourceAndEnrichedDbContext_KeepHealthChecksTelemetryAndRecoverFromKeyRotation()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_aspire");
        var exported = new List<Activity>();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:crdb"] = bed.ConnectionString(database, pooling: false) });

        // README: aspire
        builder.AddNpgsqlDataSource("crdb");                           // Aspire: health check, tracing, metrics
        builder.Services.AddNpgsqlJwtSso()                              // in an app: AddNpgsqlJwtSso(configuration section)
            .AddDelegate(ct => bed.FetchTokenAsync("ef_aspire", ct))
            .AddDataSource(builder.Configuration.GetConnectionString("crdb")!); // after Aspire's: this one is resolved
        builder.Services.AddDbContextPool<OrdersDb>((services, options) => options.UseNpgsqlJwtSso(services));
        builder.EnrichNpgsqlDbContext<OrdersDb>();                     // Aspire: retries, DbContext health check, telemetry
        // README: end
        builder.Services.AddSingleton<TimeProvider>(bed.Time);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(exported));

        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
                await db.Database.EnsureCreatedAsync();
                Assert.IsType<NpgsqlRetryingExecutionStrategy>(db.Database.CreateExecutionStrategy(), exactMatch: false);
            }

            bed.RotateClusterKeys();
            for (var i = 0; i < 3; i++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OrdersDb>();
                db.Notes.Add(new Note { Body = $"note {i}" });
                await db.SaveChangesAsync();
            }

            await using (var connection = host.Services.GetRequiredService<NpgsqlConnection>()) // Npgsql's registration, now from the JWT data source
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT current_user", connection);
                Assert.Equal("ef_aspire", await command.ExecuteScalarAsync());
            }

            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.Contains("PostgreSql", health.Entries.Keys);
            Assert.Contains(nameof(OrdersDb), health.Entries.Keys);
            Assert.Contains(exported, a => a.Source.Name == "Npgsql");
            Assert.Equal(2, bed.IdpCalls);          // the first token, one after the rotation
            Assert.Equal(1, bed.Emulator.LoginsRejected);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
