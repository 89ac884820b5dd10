using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Npgsql.JwtSso.Examples.EfCoreApp;

/// <summary>
/// EF Core through dependency injection: the DbContext gets the JWT SSO data source explicitly (no connection string for
/// EF Core to ignore, no second NpgsqlDataSource to silently win), then inserts and queries a row.
/// </summary>
public static class Program
{
    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS bot_messages (id uuid PRIMARY KEY, author text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL)";

    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(args);

        // README: efcore
        builder.Services.AddNpgsqlJwtSso(builder.Configuration.GetSection("JwtSso"))
            .AddDataSource(builder.Configuration.GetConnectionString("Cockroach")!); // JwtSsoDataSource + NpgsqlDataSource + DbDataSource
        builder.Services.AddDbContext<BotDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        // README: end

        try
        {
            using var host = builder.Build();
            await host.StartAsync(cancellationToken); // validates options and fetches the first token
            var username = host.Services.GetRequiredService<JwtSsoDataSource>().Username!;

            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
                await db.Database.ExecuteSqlRawAsync(CreateTable, cancellationToken);
                db.Messages.Add(new BotMessage { Id = Guid.NewGuid(), Author = username, Body = "hello from EF Core", CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(cancellationToken);

                var mine = await db.Messages.CountAsync(m => m.Author == username, cancellationToken);
                await output.WriteLineAsync($"{username} has written {mine} message(s)");
            }

            await host.StopAsync(cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is JwtSsoException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await output.WriteLineAsync($"Start-up failed: {ex.Message}");
            return 1;
        }
    }
}
