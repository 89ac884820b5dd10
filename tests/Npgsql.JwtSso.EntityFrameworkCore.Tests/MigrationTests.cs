using Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

namespace Npgsql.JwtSso.EntityFrameworkCore.Tests;

/// <summary>
/// The migration path against the emulator, through the design-time factory that <c>dotnet ef database update</c> and a
/// migration bundle call, configured the way CI configures them (connection string and JWT SSO keys as arguments).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task DesignTimeFactory_MigrateTwice_AppliesTheMigrationOnceAsTheTokenSubject()
    {
        await using var bed = await EfTestBed.StartAsync(fixture.Postgres);
        var database = await bed.CreateUserDatabaseAsync("ef_migrator");
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, await bed.FetchTokenAsync("ef_migrator", CancellationToken.None));
            string[] args =
            [
                $"--ConnectionStrings:Cockroach={bed.ConnectionString(database)}",
                "--JwtSso:Source=File",
                $"--JwtSso:File:Path={tokenFile}",
            ];

            await using (var db = new MigratedDbDesignTimeFactory().CreateDbContext(args))
            {
                Assert.Equal(["20261202000244_CreateMigratedNotes"], await db.Database.GetPendingMigrationsAsync());
                await db.Database.MigrateAsync();
                db.Notes.Add(new Note { Body = "after the migration" });
                await db.SaveChangesAsync();
            }

            await using (var db = new MigratedDbDesignTimeFactory().CreateDbContext(args))
            {
                await db.Database.MigrateAsync(); // nothing left to apply
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                Assert.Equal(["20261202000244_CreateMigratedNotes"], await db.Database.GetAppliedMigrationsAsync());
                Assert.Equal(1, await db.Notes.CountAsync());
                Assert.Equal("ef_migrator", await db.Database.SqlQueryRaw<string>("SELECT tableowner AS \"Value\" FROM pg_tables WHERE tablename = 'migrated_notes'").SingleAsync());
            }
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public void DesignTimeFactory_NoConnectionString_ThrowsNamingTheKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new MigratedDbDesignTimeFactory().CreateDbContext(["--JwtSso:Source=File", "--JwtSso:File:Path=/nonexistent"]));

        Assert.Contains("ConnectionStrings:Cockroach", error.Message, StringComparison.Ordinal);
    }
}
