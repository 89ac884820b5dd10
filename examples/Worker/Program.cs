using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql.JwtSso.Gcp;

namespace Npgsql.JwtSso.Examples.Worker;

/// <summary>
/// A Generic Host worker configured from appsettings.json: the JWT SSO instance is bound strictly from "JwtSso" (a
/// misspelt key stops the start), warmed up before the worker runs, composed with Npgsql's own AddNpgsqlDataSource, and
/// reported by a health check. Switch token sources with JwtSso__Source=Gcp (no code change). Without a
/// ConnectionStrings:Cockroach (e.g. ConnectionStrings__Cockroach in the environment) it starts a local stack and polls that.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        // appsettings.json sits next to the binary, so `dotnet run --project examples/Worker` works from any directory.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = args.Contains("--contentRoot") ? null : AppContext.BaseDirectory,
        });

        // No ConnectionStrings:Cockroach configured: run against a local stack, with a token file it keeps.
        await using var local = string.IsNullOrEmpty(builder.Configuration.GetConnectionString("Cockroach"))
            ? await LocalStack.StartAsync("order_bot", output, cancellationToken)
            : null;
        if (local is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Cockroach"] = local.ConnectionString(includeUsername: true),
                ["JwtSso:File:Path"] = local.TokenFile,
            });
        }

        // README: worker
        builder.Services.AddJwtSsoTokenSource(GcpTokenSource.Descriptor); // lets "Source": "Gcp" (and its section) appear in configuration
        builder.Services.AddNpgsqlJwtSso(builder.Configuration.GetSection("JwtSso"));
        builder.Services.AddNpgsqlDataSource(
            builder.Configuration.GetConnectionString("Cockroach")!,
            (services, dataSource) => dataSource.UseJwtSso(services));
        builder.Services.AddHealthChecks().AddJwtSso();
        // README: end

        builder.Services.Configure<PollerOptions>(builder.Configuration.GetSection("Poller"));
        var pollerOutput = new PollerOutput(output);
        builder.Services.AddSingleton(pollerOutput);
        builder.Services.AddHostedService<Poller>();

        try
        {
            await builder.Build().RunAsync(cancellationToken); // disposes the host when it stops
            return pollerOutput.Failed ? 1 : 0;
        }
        catch (Exception ex) when (ex is JwtSsoException or Microsoft.Extensions.Options.OptionsValidationException
            || (ex is AggregateException all && all.InnerExceptions.All(e => e is Microsoft.Extensions.Options.OptionsValidationException))) // cache and connection options both invalid
        {
            // Start-up failures (misspelt key, invalid option, no first token) name what to fix; never the token.
            await output.WriteLineAsync($"Start-up failed: {ex.Message}");
            return 1;
        }
    }
}
