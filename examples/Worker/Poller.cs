using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.Examples.Worker;

/// <summary>Runs a query every <see cref="PollerOptions.Interval"/>; the first one never waits on the identity provider (warm-up).</summary>
public sealed class Poller(
    NpgsqlDataSource dataSource,
    HealthCheckService health,
    IOptions<PollerOptions> options,
    PollerOutput output,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            var report = await health.CheckHealthAsync(stoppingToken);
            await output.Writer.WriteLineAsync($"health: {report.Status} ({report.Entries["jwtsso"].Description})");

            for (var i = 1; settings.Iterations == 0 || i <= settings.Iterations; i++)
            {
                await using (var command = dataSource.CreateCommand("SELECT current_user"))
                {
                    await output.Writer.WriteLineAsync($"poll {i}: {await command.ExecuteScalarAsync(stoppingToken)}");
                }

                if (settings.Iterations == 0 || i < settings.Iterations)
                {
                    await Task.Delay(settings.Interval, stoppingToken);
                }
            }
        }
        catch (Exception ex) when (ex is JwtSsoException or NpgsqlException)
        {
            output.Failed = true;
            await output.Writer.WriteLineAsync($"poll failed: {ex.Message}");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        lifetime.StopApplication();
    }
}

/// <summary>The "Poller" configuration section.</summary>
public sealed class PollerOptions
{
    /// <summary>Gets or sets the number of polls before the worker stops; 0 polls until the host stops.</summary>
    public int Iterations { get; set; }

    /// <summary>Gets or sets the pause between polls.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Where the worker writes (the console, or a test's writer) and whether a poll failed.</summary>
public sealed class PollerOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;

    public bool Failed { get; set; }
}
