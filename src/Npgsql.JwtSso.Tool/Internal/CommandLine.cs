using System.CommandLine;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Builds the <c>crdb-jwt</c> command tree and runs one command line.</summary>
internal static class CommandLine
{
    public static RootCommand Build(ToolContext context)
    {
        var root = new RootCommand("crdb-jwt: JWT logins (Cluster SSO) to CockroachDB: fetch a token, build a connection URL, diagnose a rejected login, print the cluster settings.");
        root.Subcommands.Add(TokenCommand.Create(context));
        root.Subcommands.Add(UrlCommand.Create(context));
        root.Subcommands.Add(DoctorCommand.Create(context));
        root.Subcommands.Add(ClusterSettingsCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, ToolContext context, CancellationToken cancellationToken)
    {
        var root = Build(context);
        var result = root.Parse(args);
if (result.CommandResult.Command == root && result.Tokens.Count == 0)
        {
            await stderr.WriteLineAsync("crdb-jwt: name a command: token, url, doctor or cluster-settings. Run 'crdb-jwt --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync($"crdb-jwt: {error.Message}").ConfigureAwait(false);
            }

            var command = result.CommandResult.Command == root ? "crdb-jwt" : "crdb-jwt " + result.CommandResult.Command.Name;
            await stderr.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException e)
        {
            await stderr.WriteLineAsync($"crdb-jwt: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"crdb-jwt: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("crdb-jwt: cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Write one JSON document to stdout instead of text." };
}
