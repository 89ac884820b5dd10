using System.CommandLine;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary><c>crdb-jwt token</c>: prints a fresh token on stdout.</summary>
internal static class TokenCommand
{
    public static Command Create(ToolContext context)
    {
        var sources = new SourceOptions();
        var json = CommandLine.JsonOption();
        var command = new Command("token", "Print a fresh JWT on stdout (for scripts and 'cockroach sql'). The token is the only thing written to stdout; diagnostics go to stderr.");
        sources.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var token = await TokenFetcher.FetchAsync(sources, result, context, cancellationToken).ConfigureAwait(false);
            if (token.ExpiresOn is { } exp && exp <= context.Time.GetUtcNow())
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"crdb-jwt: warning: this token expired at {exp.ToUniversalTime():u}; the cluster will refuse it.").ConfigureAwait(false);
            }

            var stdout = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                var facts = JsonOutput.TokenFacts(token, claim: null);
                facts["token"] = token.Value;
                JsonOutput.Write(stdout, facts);
            }
            else
            {
                await stdout.WriteLineAsync(token.Value).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
