using System.CommandLine;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary><c>crdb-jwt doctor</c>: explains why a JWT login would fail, with the fix.</summary>
internal static class DoctorCommand
{
    public static Command Create(ToolContext context)
    {
        var sources = new SourceOptions();
        var connection = new Option<string?>("--connection", "-c") { Description = "The cluster to try the login on (postgresql:// URL or connection string, no password); also gives the SQL user and TLS mode.", HelpName = "url-or-connection-string" };
        var user = new Option<string?>("--user", "-u") { Description = "The SQL user to log in as (default: the connection's user).", HelpName = "name" };
        var admin = new Option<string?>("--admin-connection") { Description = "An admin connection to read the cluster settings with SHOW CLUSTER SETTING.", HelpName = "url-or-connection-string" };
        var settingsOption = new Option<string[]>("--setting", "-s") { Description = "A cluster setting as NAME=VALUE (for example audience=crdb, issuers=[\"https://x\"], identity_map=\"iss p u\"); repeat for more. Overrides --admin-connection.", HelpName = "name=value" };
        var claim = new Option<string?>("--claim") { Description = "The principal claim when server.jwt_authentication.claim is not known (default sub).", HelpName = "claim" };
        var json = CommandLine.JsonOption();
        var command = new Command("doctor", "Explain, in plain words and with the fix, why a JWT login would fail: token times, issuer, audience, keys, principal → identity map → SQL user, TLS; with --connection, try the login. Exit code 0 only when no problem is found.");
        sources.AddTo(command);
        command.Options.Add(connection);
        command.Options.Add(user);
        command.Options.Add(admin);
        command.Options.Add(settingsOption);
        command.Options.Add(claim);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!sources.HasSource(result))
            {
                throw new ToolException("doctor needs a token: --token, --token-file, or --source with its options.");
            }

            NpgsqlConnectionStringBuilder? builder = null;
            if (result.GetValue(connection) is { } text)
            {
                var input = ConnectionInput.Parse(text, "--connection");
                input.EnableJwt("--connection");
                builder = input.Builder;
            }

            var sqlUser = result.GetValue(user) is { Length: > 0 } u ? u : builder?.Username;
            if (builder is not null)
            {
                builder.Username = sqlUser;
            }

            var settings = result.GetValue(admin) is { } adminText
                ? await context.ReadClusterSettings(adminText, cancellationToken).ConfigureAwait(false)
                : new ClusterJwtSettings();
            foreach (var pair in result.GetValue(settingsOption) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new ToolException($"--setting '{pair}' must be NAME=VALUE.");
                }

                settings.Set(pair[..eq], pair[(eq + 1)..]);
            }

            var findings = new List<DoctorFinding>();
            var token = await GetTokenAsync(sources, result, context, findings, cancellationToken).ConfigureAwait(false);
            var principalClaim = settings.Claim ?? result.GetValue(claim) ?? "sub";
            if (token is not null)
            {
                findings.Add(Safely("enabled", () => DoctorTokenChecks.Enabled(settings)));
                findings.Add(Safely("issuer", () => DoctorTokenChecks.Issuer(token, settings)));
                try
                {
                    findings.Add(await DoctorKeyCheck.RunAsync(token, settings, context, cancellationToken).ConfigureAwait(false));
                }
                catch (ToolException e)
                {
                    findings.Add(SettingProblem("keys", e));
                }
                findings.AddRange(DoctorTokenChecks.Clock(token, context.Time.GetUtcNow()));
                findings.AddRange(DoctorTokenChecks.Identity(token, settings, result.GetValue(claim), sqlUser));
                findings.Add(Safely("audience", () => DoctorTokenChecks.Audience(token, settings)));
                findings.Add(DoctorTokenChecks.Tls(builder));
                findings.Add(builder is null
                    ? DoctorFinding.Skip("login", "No --connection given: the login was not tried.")
                    : await DoctorLoginCheck.RunAsync(builder, token, principalClaim, cancellationToken).ConfigureAwait(false));
            }

            var stdout = result.InvocationConfiguration.Output;
            if (result.GetValue(json))
            {
                DoctorReport.WriteJson(stdout, token, principalClaim, findings);
            }
            else
            {
                DoctorReport.WriteText(stdout, token, principalClaim, findings);
            }

            return findings.Any(f => f.Status == DoctorStatus.Problem) ? ExitCodes.ProblemsFound : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A setting the cluster would reject at SET time is a finding, not a command-line error.</summary>
    private static DoctorFinding Safely(string check, Func<DoctorFinding> run)
    {
        try
        {
            return run();
        }
        catch (ToolException e)
        {
            return SettingProblem(check, e);
        }
    }

    private static DoctorFinding SettingProblem(string check, ToolException e)
        => DoctorFinding.Problem(check, e.Message, "Fix the setting's value: the cluster refuses it at SET CLUSTER SETTING time or reads it differently than intended.");

    private static async Task<JwtToken?> GetTokenAsync(SourceOptions sources, ParseResult result, ToolContext context, List<DoctorFinding> findings, CancellationToken cancellationToken)
    {
        var name = result.GetValue(sources.Source);
        if (result.GetValue(sources.Token) is { } text && (name is null || name.Equals("static", StringComparison.OrdinalIgnoreCase)))
        {
            if (JwtToken.TryParse(text.Trim(), out var parsed))
            {
                return parsed;
            }

            findings.Add(DoctorFinding.Problem(
                "token",
                "The text given is not a JWT (three base64url parts separated by dots, with a JSON payload); the cluster would answer 'JWT authentication: invalid token' (DETAIL: token parsing failed: …).",
                "Pass the raw token: no 'Bearer ' prefix, no quotes, no line breaks. For an access token from Entra/Okta, check it is a JWT and not an opaque token."));
            return null;
        }

        return await TokenFetcher.FetchAsync(sources, result, context, cancellationToken).ConfigureAwait(false);
    }
}
