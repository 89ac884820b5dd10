using System.Globalization;

namespace Npgsql.JwtSso.Examples.BotConsole;

/// <summary>
/// A bot without dependency injection: one data source whose password is a JWT read from a file that another process
/// keeps fresh (a Kubernetes projected token, a sidecar), then a loop of queries.
/// Usage: BotConsole "Host=…;Database=…;SSL Mode=VerifyFull" /var/run/secrets/tokens/crdb [iterations] [interval-seconds];
/// without arguments it runs three ticks against a local stack it starts itself.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await RunAsync(args, Console.Out, stop.Token);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            // No cluster given: three ticks against a local stack with a token file it keeps.
            await using var local = await LocalStack.StartAsync("bot", output, cancellationToken);
            return await RunAsync([local.ConnectionString(includeUsername: false), local.TokenFile, "3", "1"], output, cancellationToken);
        }

        if (args.Length < 2)
        {
            await output.WriteLineAsync("usage: BotConsole [<connection-string> <token-file> [iterations (0 = until Ctrl+C)] [interval-seconds]] (no arguments: a local stack)");
            return 2;
        }

        var connectionString = args[0];
        var tokenFile = args[1];
        var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
        var interval = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 5);

        try
        {
            // README: bot-console
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.UseJwtSso(new FileTokenSource(tokenFile));
            await using var dataSource = await builder.BuildJwtSsoAsync(cancellationToken); // fetches the first token, derives Username
            // README: end

            await output.WriteLineAsync($"Logged in as {dataSource.Username}");
            for (var i = 1; iterations == 0 || i <= iterations; i++)
            {
                await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
                await using (var command = new NpgsqlCommand("SELECT current_user, now()", connection))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    await output.WriteLineAsync($"tick {i}: {reader.GetString(0)} at {reader.GetFieldValue<DateTimeOffset>(1):O}");
                }

                if (iterations == 0 || i < iterations)
                {
                    await Task.Delay(interval, cancellationToken);
                }
            }

            return 0;
        }
        catch (JwtSsoException ex)
        {
            // The message names the setting or claim to fix; it never contains the token.
            await output.WriteLineAsync($"JWT single sign-on failed ({ex.Kind}): {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}
