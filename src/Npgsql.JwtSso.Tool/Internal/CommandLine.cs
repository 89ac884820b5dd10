using System.CommandLine;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Builds the <c>crdb-jwt</c> command tree and runs one command line.</summary>
internal static class CommandLine
{
    public static RootCommand Build(ToolContext context)
    {
        var root = new RootCommand("crdb-jwt: JWT logins (Cluster SSO) to CockroachDB: fetch a token, build a connection URL, diagnose a rejected login, print the cluster settings. " + InstallLine);
        root.Subcommands.Add(TokenCommand.Create(context));
        root.Subcommands.Add(UrlCommand.Create(context));
        root.Subcommands.Add(DoctorCommand.Create(context));
        root.Subcommands.Add(ClusterSettingsCommand.Create(context));
        return root;
    }

    /// <summary>The install line shown in <c>--help</c>: the package ID differs from the command name.</summary>
    public const string InstallLine = "Install: dotnet tool install --global Npgsql.JwtSso.Tool (package Npgsql.JwtSso.Tool, command crdb-jwt).";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, ToolContext context, CancellationToken cancellationToken)
    {
        var root = Build(context);
        var result = root.Parse(args);
        var json = args.Contains("--json", StringComparer.Ordinal);
        if (result.CommandResult.Command == root && result.Tokens.Count == 0)
        {
            return await FailAsync("name a command: token, url, doctor or cluster-settings. Run 'crdb-jwt --help' for usage.", ExitCodes.Usage).ConfigureAwait(false);
        }

        if (result.Errors.Count > 0)
        {
            if (result.UnmatchedTokens.FirstOrDefault(t => t is "--provider" or "-p" || t.StartsWith("--provider=", StringComparison.Ordinal)) is { } renamed)
            {
                return await FailAsync($"{renamed.Split('=')[0]} is now --source (same values, for example --source okta).", ExitCodes.Usage).ConfigureAwait(false);
            }

            var command = result.CommandResult.Command == root ? "crdb-jwt" : "crdb-jwt " + result.CommandResult.Command.Name;
            var errors = string.Join(" ", result.Errors.Select(e => ErrorText.OneLine(e.Message)));
            return await FailAsync($"{errors} Run '{command} --help' for usage.", ExitCodes.Usage).ConfigureAwait(false);
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException e)
        {
            return await FailAsync(e.Message, e.ExitCode).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await FailAsync(e.Message, ExitCodes.Usage).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync("cancelled.", ExitCodes.Cancelled).ConfigureAwait(false);
        }

        // Errors are one line on stderr, or with --json one object on stdout: {"error": {"message", "exitCode"}}.
        async Task<int> FailAsync(string message, int exitCode)
        {
            var line = ErrorText.OneLine(message);
            if (json)
            {
                JsonOutput.Write(stdout, new JsonObject { ["error"] = new JsonObject { ["message"] = line, ["exitCode"] = exitCode } });
            }
            else
            {
                await stderr.WriteLineAsync($"crdb-jwt: {line}").ConfigureAwait(false);
            }

            return exitCode;
        }
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Write one JSON document to stdout instead of text." };
}
