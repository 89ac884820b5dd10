using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>The <c>--json</c> output: one indented JSON document on stdout.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(TextWriter writer, JsonNode node) => writer.WriteLine(node.ToJsonString(Indented));

    public static JsonNode? Time(DateTimeOffset? value)
        => value is { } v ? JsonValue.Create(v.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)) : null;

    public static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>The token's public facts: header and registered claims, never the token text or signature.</summary>
    public static JsonObject TokenFacts(JwtToken token, string? claim)
    {
        var facts = new JsonObject
        {
            ["alg"] = token.Algorithm,
            ["kid"] = token.KeyId,
            ["iss"] = token.Issuer,
            ["sub"] = token.Subject,
            ["aud"] = Array(token.Audiences),
            ["exp"] = Time(token.ExpiresOn),
            ["nbf"] = Time(token.NotBefore),
            ["iat"] = Time(token.IssuedAt),
            ["fingerprint"] = token.Fingerprint,
        };
        if (claim is not null && token.GetPrincipals(claim) is { } principals)
        {
            facts["claim"] = claim;
            facts["principals"] = Array(principals);
        }

        return facts;
    }
}
