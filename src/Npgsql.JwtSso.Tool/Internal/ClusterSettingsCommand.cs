using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary><c>crdb-jwt cluster-settings</c>: prints the <c>SET CLUSTER SETTING</c> statements for an issuer, ready to paste.</summary>
internal static class ClusterSettingsCommand
{
    // Readable JSON in SQL literals: quotes are doubled by SqlLiteral, so nothing needs \u escaping.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Presets = ["gcp", "azure", "okta", "github-actions"];

    public static Command Create(ToolContext context)
    {
        var issuers = new Option<string[]>("--issuer") { Description = "An issuer URL exactly as in the tokens' iss claim (repeat for more).", HelpName = "url" };
        var source = new Option<string?>("--source") { Description = "A preset issuer: " + string.Join(", ", Presets) + ".", HelpName = "preset" };
        var tenant = new Option<string?>("--tenant-id") { Description = "azure: the Entra tenant id.", HelpName = "id" };
        var domain = new Option<string?>("--domain") { Description = "okta: the Okta domain, e.g. dev-123456.okta.com.", HelpName = "host" };
        var server = new Option<string?>("--authorization-server") { Description = "okta: the custom authorization server id (default 'default').", HelpName = "id" };
        var audiences = new Option<string[]>("--audience") { Description = "An accepted audience (repeat for more). Required: tokens without a configured audience are refused.", HelpName = "aud" };
        var claim = new Option<string?>("--claim") { Description = "The claim holding the principal (default sub), e.g. email.", HelpName = "claim" };
        var maps = new Option<string[]>("--map") { Description = "An identity-map rule 'PRINCIPAL SQLUSER' (PRINCIPAL may be /regex with \\1 in SQLUSER), written for every issuer; repeat for more.", HelpName = "rule" };
        var autoFetch = new Option<bool>("--jwks-auto-fetch") { Description = "Let the nodes fetch the keys from the issuer on each login instead of a static JWKS (follows key rotation)." };
        var jwksFile = new Option<string?>("--jwks-file") { Description = "Use this JWK Set file as the static JWKS instead of fetching it from the issuer's discovery document.", HelpName = "path" };
        var caFile = new Option<string?>("--ca-file") { Description = "A PEM file of CA certificates to trust when fetching the issuer's discovery document and JWKS.", HelpName = "path" };
        var json = CommandLine.JsonOption();
        var command = new Command("cluster-settings", "Print the SET CLUSTER SETTING statements for JWT logins from an issuer: enabled, issuers, audience, claim, JWKS (static, fetched now, or auto-fetch) and identity-map lines.");
        foreach (var option in new Option[] { issuers, source, tenant, domain, server, audiences, claim, maps, autoFetch, jwksFile, caFile, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            context.UseCaFile(result.GetValue(caFile));
            var issuerList = (result.GetValue(issuers) ?? []).ToList();
            if (result.GetValue(source) is { } preset)
            {
                issuerList.AddRange(PresetIssuers(preset, result.GetValue(tenant), result.GetValue(domain), result.GetValue(server)));
            }

            issuerList = issuerList.Distinct(StringComparer.Ordinal).ToList();
            if (issuerList.Count == 0)
            {
                throw new ToolException("name the issuer: --issuer <url> or --source " + string.Join('|', Presets) + ".");
            }

            var audienceList = result.GetValue(audiences) ?? [];
            if (audienceList.Length == 0)
            {
                throw new ToolException("name the audience with --audience: CockroachDB refuses tokens whose aud is not configured (use the value your tokens are requested for, e.g. the cluster's name or the app's client id).");
            }

            var settings = new List<(string Name, string Value, bool Quoted)>
            {
                (ClusterJwtSettings.EnabledName, "true", false),
                (ClusterJwtSettings.IssuersName, issuerList.Count == 1 ? issuerList[0] : JsonSerializer.Serialize(issuerList, Readable), true),
                (ClusterJwtSettings.AudienceName, audienceList.Length == 1 ? audienceList[0] : JsonSerializer.Serialize(audienceList, Readable), true),
            };
            if (result.GetValue(claim) is { Length: > 0 } c)
            {
                settings.Add((ClusterJwtSettings.ClaimName, c, true));
            }

            var notes = new List<string>();
            if (result.GetValue(autoFetch))
            {
                settings.Add((ClusterJwtSettings.AutoFetchName, "true", false));
                notes.Add("The nodes fetch each issuer's discovery document and JWKS on every login: they need HTTPS access to the issuer (server.jwt_authentication.issuers.custom_ca for a private CA).");
            }
            else
            {
                var jwks = result.GetValue(jwksFile) is { } path
                    ? ReadJwksFile(path)
                    : await FetchMergedJwksAsync(context, issuerList, notes, cancellationToken).ConfigureAwait(false);
                settings.Add((ClusterJwtSettings.JwksName, jwks, true));
                settings.Add((ClusterJwtSettings.AutoFetchName, "false", false));
                notes.Add("Static JWKS: run this again when the issuer rotates its keys (Google and Entra rotate often), or use --jwks-auto-fetch.");
            }

            if (result.GetValue(maps) is { Length: > 0 } rules)
            {
                settings.Add((ClusterJwtSettings.IdentityMapName, IdentityMapLines(issuerList, rules), true));
            }

            var stdout = result.InvocationConfiguration.Output;
            var statements = settings.Select(s => $"SET CLUSTER SETTING {s.Name} = {(s.Quoted ? SqlLiteral(s.Value) : s.Value)};").ToList();
            if (result.GetValue(json))
            {
                var values = new JsonObject();
                foreach (var (name, value, _) in settings)
                {
                    values[name] = value;
                }

                JsonOutput.Write(stdout, new JsonObject { ["settings"] = values, ["statements"] = JsonOutput.Array(statements), ["notes"] = JsonOutput.Array(notes) });
            }
            else
            {
                foreach (var note in notes)
                {
                    await stdout.WriteLineAsync("-- " + note).ConfigureAwait(false);
                }

                foreach (var statement in statements)
                {
                    await stdout.WriteLineAsync(statement).ConfigureAwait(false);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static IEnumerable<string> PresetIssuers(string preset, string? tenant, string? domain, string? server)
        => preset.ToLowerInvariant() switch
        {
            "gcp" => ["https://accounts.google.com"],
            "github-actions" => ["https://token.actions.githubusercontent.com"],
            "azure" => tenant is { Length: > 0 }
                ? [$"https://login.microsoftonline.com/{tenant}/v2.0", $"https://sts.windows.net/{tenant}/"]
                : throw new ToolException("--source azure needs --tenant-id (the issuers are https://login.microsoftonline.com/<tenant>/v2.0 for v2 tokens and https://sts.windows.net/<tenant>/ for v1 tokens)."),
            "okta" => domain is { Length: > 0 }
                ? [$"https://{domain.TrimEnd('/')}/oauth2/{(string.IsNullOrEmpty(server) ? "default" : server)}"]
                : throw new ToolException("--source okta needs --domain (and --authorization-server unless it is 'default')."),
            _ => throw new ToolException($"--source '{preset}' is unknown: use one of {string.Join(", ", Presets)}, or give --issuer."),
        };

    private static async Task<string> FetchMergedJwksAsync(ToolContext context, List<string> issuers, List<string> notes, CancellationToken cancellationToken)
    {
        using var http = context.CreateHttpClient();
        var keys = new JsonArray();
        var kids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var issuer in issuers)
        {
            var fetched = await IssuerKeys.FetchAsync(http, issuer, null, context.Trust, cancellationToken).ConfigureAwait(false);
            notes.Add($"Keys of {issuer} fetched from {fetched.JwksUrl}.");
            foreach (var key in KeyNodes(fetched.JwksJson!))
            {
                var kid = key?["kid"]?.GetValue<string>();
                if (kid is null || kids.Add(kid))
                {
                    keys.Add(key?.DeepClone());
                }
            }
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    private static string ReadJwksFile(string path)
    {
        var text = File.ReadAllText(path);
        return CockroachJsonWebKeySet.TryParse(text, out _, out var error)
            ? JsonNode.Parse(text)!.ToJsonString()
            : throw new ToolException($"--jwks-file '{path}' is not a JWK Set or JWK (JSON with a \"keys\" array) the cluster accepts: {error}.");
    }

    // A JWKS value is a set or one JWK (jwx's jwk.Parse); the merged setting lists every key.
    private static IEnumerable<JsonNode?> KeyNodes(string jwks)
        => JsonNode.Parse(jwks) is JsonObject root && root["keys"] is JsonArray keys ? keys : [JsonNode.Parse(jwks)];

    private static string IdentityMapLines(List<string> issuers, string[] rules)
    {
        var lines = new List<string>();
        foreach (var rule in rules)
        {
            var parts = rule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new ToolException($"--map '{rule}' must be 'PRINCIPAL SQLUSER' (two words; use \\s in a regex instead of spaces).");
            }

            lines.AddRange(issuers.Select(issuer => $"{issuer} {parts[0]} {parts[1]}"));
        }

        var text = string.Join('\n', lines);
        return IdentityMap.TryParse(text, ignoreCase: false, out _, out var error)
            ? text
            : throw new ToolException($"--map: the identity map would not parse on the cluster: {error}");
    }

    private static string SqlLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
