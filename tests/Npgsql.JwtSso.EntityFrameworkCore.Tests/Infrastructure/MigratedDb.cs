using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>A context whose schema comes from migrations (Migrations/, generated with <c>dotnet ef migrations add</c>).</summary>
public sealed class MigratedDb(DbContextOptions<MigratedDb> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Note>().ToTable("migrated_notes");
}

/// <summary>
/// What <c>dotnet ef</c> and a migration bundle call: builds the context from the same configuration keys as the app
/// (<c>ConnectionStrings:Cockroach</c> and the <c>JwtSso</c> section), from environment variables and the arguments after <c>--</c>.
/// </summary>
public sealed class MigratedDbDesignTimeFactory : IDesignTimeDbContextFactory<MigratedDb>
{
    public MigratedDb CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var services = new ServiceCollection();
        services.AddNpgsqlJwtSso(configuration.GetSection("JwtSso"))
            .AddDataSource(configuration.GetConnectionString("Cockroach")
                ?? throw new InvalidOperationException("Set ConnectionStrings:Cockroach (environment variable ConnectionStrings__Cockroach, or --ConnectionStrings:Cockroach=… after --)."));
        services.AddDbContext<MigratedDb>((sp, options) => options.UseNpgsqlJwtSso(sp));
        return services.BuildServiceProvider().GetRequiredService<MigratedDb>(); // lives as long as the design-time process
    }
}
