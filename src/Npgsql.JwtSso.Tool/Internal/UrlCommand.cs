using System.CommandLine;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary><c>crdb-jwt url</c>: prints a ready connection URL or connection string carrying a fresh token.</summary>
internal static class UrlCommand
{
    public static Command Create(ToolContext context)
    {
        var providers = new ProviderOptions();
        var connection = new Option<string>("--connection", "-c")
        {
            Description = "The cluster: a postgresql:// URL (printed back as a URL) or an Npgsql connection string (printed back as one). No password.",
            Required = true,
            HelpName = "url-or-connection-string",
        };
        var user = new Option<string?>("--user", "-u") { Description = "The SQL user, when the connection names none.", HelpName = "name" };
        var json = CommandLine.JsonOption();
        var command = new Command("url", "Print a connection URL / connection string with a fresh token as the password and options=--crdb:jwt_auth_enabled=true.");
        command.Options.Add(connection);
        command.Options.Add(user);
        providers.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var text = result.GetRequiredValue(connection);
            var builder = ConnectionInput.Parse(text, "--connection");
            ConnectionInput.EnableJwt(builder, "--connection");
            if (result.GetValue(user) is { Length: > 0 } u)
            {
                builder.Username = u;
            }

            if (string.IsNullOrEmpty(builder.Username))
            {
                throw new ToolException("name the SQL user: in the connection (postgresql://USER@host or Username=USER) or with --user.");
            }

            var token = await TokenFetcher.FetchAsync(providers, result, context, cancellationToken).ConfigureAwait(false);
            var isUrl = CockroachConnectionString.IsUrl(text);
            string output;
            if (isUrl)
            {
                output = ConnectionInput.RewriteUrl(text, builder.Username, token.Value, builder.Options!);
            }
            else
            {
                builder.Password = token.Value;
                output = builder.ConnectionString;
            }

            var stderr = result.InvocationConfiguration.Error;
            if (builder.SslMode is SslMode.Disable or SslMode.Allow or SslMode.Prefer)
            {
                await stderr.WriteLineAsync($"crdb-jwt: warning: sslmode is {builder.SslMode}: the token may travel in clear text. Use sslmode=verify-full with sslrootcert=<ca.crt>.").ConfigureAwait(false);
            }

            var stdout = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                JsonOutput.Write(stdout, new JsonObject
                {
                    [isUrl ? "url" : "connectionString"] = output,
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
