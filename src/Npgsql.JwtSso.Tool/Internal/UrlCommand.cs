using System.CommandLine;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary><c>crdb-jwt url</c>: prints a ready connection URL or connection string carrying a fresh token.</summary>
internal static class UrlCommand
{
    public static Command Create(ToolContext context)
    {
        var sources = new SourceOptions();
        var identity = new ConnectionIdentity();
        var connection = new Option<string>("--connection", "-c")
        {
            Description = "The cluster, without a password: a postgresql:// URL, a libpq string (host=… user=…) or an Npgsql connection string; printed back in the same form.",
            Required = true,
            HelpName = "url-or-connection-string",
        };
        var user = new Option<string?>("--user", "-u") { Description = "The SQL user (default: the connection's user, else derived from the token as the library does: --claim through --identity-map).", HelpName = "name" };
        var json = CommandLine.JsonOption();
        var command = new Command("url", "Print a connection URL / connection string with a fresh token as the password and options=--crdb:jwt_auth_enabled=true, for psql and cockroach sql.");
        command.Options.Add(connection);
        command.Options.Add(user);
        identity.AddTo(command);
        sources.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var input = ConnectionInput.Parse(result.GetRequiredValue(connection), "--connection");
            input.EnableJwt("--connection");
            var builder = input.Builder;
            if (result.GetValue(user) is { Length: > 0 } u)
            {
                builder.Username = u;
            }

            var source = sources.Create(result, context);
            JwtToken token;
            try
            {
                var options = identity.Options(result, (source as ConfiguredTokenSource)?.Options);
                var warning = ConnectionIdentity.CheckTransport(builder, options, "--connection");
                if (warning is not null)
                {
                    await result.InvocationConfiguration.Error.WriteLineAsync($"crdb-jwt: warning: {warning}").ConfigureAwait(false);
                }

                token = await TokenFetcher.FetchAsync(source, context, cancellationToken).ConfigureAwait(false);
                if (string.IsNullOrEmpty(builder.Username))
                {
                    builder.Username = ConnectionIdentity.ResolveUser(token, null, options, source.Name);
                }
            }
            finally
            {
                await TokenFetcher.DisposeAsync(source).ConfigureAwait(false);
            }

            var output = input.Render(token.Value);
            var stdout = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject
                {
                    [input.Form switch { ConnectionForm.Url => "url", ConnectionForm.Libpq => "libpq", _ => "connectionString" }] = output,
                    ["username"] = builder.Username,
                    ["expiresOn"] = JsonOutput.Time(token.ExpiresOn),
                    ["fingerprint"] = token.Fingerprint,
                });
            }
            else
            {
                await stdout.WriteLineAsync(output).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
