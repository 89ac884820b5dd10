using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Npgsql.JwtSso.Examples.EfCoreApp;

/// <summary>
/// EF Core through dependency injection: one UseNpgsqlJwtSso call gives the DbContext the JWT SSO data source (username
/// from the token, a rejected cached token retried once with a fresh one), then the app applies its migrations, inserts
/// a row and counts its rows. <c>--local</c> runs it against a throwaway local stack instead of appsettings.json.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => args.Contains(LocalStack.Flag)
        ? LocalStack.RunAsync(Console.Out, CancellationToken.None)
        : RunAsync(args, Console.Out, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        // appsettings.json sits next to the binary, so `dotnet run --project examples/EfCoreApp` works from any directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = args.Contains("--contentRoot") ? null : AppContext.BaseDirectory,
        });

        // README: efcore
        builder.Services.AddNpgsqlJwtSso(builder.Configuration.GetSection("JwtSso"))
            .AddDataSource(builder.Configuration.GetConnectionString("Cockroach")!);
        builder.Services.AddDbContext<BotDbContext>((services, options) => options.UseNpgsqlJwtSso(services));
        // README: end

        try
        {
            using var host = builder.Build();
            await host.StartAsync(cancellationToken); // validates options and fetches the first token
            var username = host.Services.GetRequiredService<JwtSsoDataSource>().Username!;

            await using (var scope = host.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
                await db.Database.MigrateAsync(cancellationToken); // Migrations/: the bot_messages table
                db.Messages.Add(new BotMessage { Id = Guid.NewGuid(), Author = username, Body = "hello from EF Core", CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync(cancellationToken);

                var mine = await db.Messages.CountAsync(m => m.Author == username, cancellationToken);
                await output.WriteLineAsync($"{username} has written {mine} message(s)");
            }

            await host.StopAsync(cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is JwtSsoException or Microsoft.Extensions.Options.OptionsValidationException
            || (ex is AggregateException all && all.InnerExceptions.All(e => e is Microsoft.Extensions.Options.OptionsValidationException))) // cache and connection options both invalid
        {
            await output.WriteLineAsync($"Start-up failed: {ex.Message}");
            return 1;
        }
    }
}
