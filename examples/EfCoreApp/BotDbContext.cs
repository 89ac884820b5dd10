using Microsoft.EntityFrameworkCore;

namespace Npgsql.JwtSso.Examples.EfCoreApp;

/// <summary>The application's DbContext; nothing in it knows about tokens.</summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public DbSet<BotMessage> Messages => Set<BotMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var message = modelBuilder.Entity<BotMessage>().ToTable("bot_messages");
        message.Property(m => m.Id).HasColumnName("id");
        message.Property(m => m.Author).HasColumnName("author");
        message.Property(m => m.Body).HasColumnName("body");
        message.Property(m => m.CreatedAt).HasColumnName("created_at");
    }
}

/// <summary>One row of bot_messages.</summary>
public sealed class BotMessage
{
    public Guid Id { get; set; }

    public required string Author { get; set; }

    public required string Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
