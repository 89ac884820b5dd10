namespace Npgsql.JwtSso.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>A small DbContext; nothing in it knows about tokens.</summary>
public class NoteDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    /// <summary>The SQL user the context's connections log in as.</summary>
    public Task<string> CurrentUserAsync() => Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Note>().ToTable("notes");
}

/// <summary>A second context type, for two named instances side by side.</summary>
public sealed class BillingDb(DbContextOptions<BillingDb> options) : NoteDb(options);

/// <summary>The default context type with typed options (what AddDbContext and pooling need).</summary>
public sealed class OrdersDb(DbContextOptions<OrdersDb> options) : NoteDb(options);

public sealed class Note
{
    public int Id { get; set; }

    public required string Body { get; set; }
}
