using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Npgsql.JwtSso.Internal;

/// <summary>The JSON forms of CockroachDB's string-or-JSON cluster settings (Go <c>json.Unmarshal</c> into the setting's type).</summary>
internal static class SettingJson
{
    public static bool IsJson(string value)
    {
        try
        {
            using var _ = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Decodes the issuers setting's JSON forms: a string array, or <c>{"issuer_jwks_map":{…}}</c> (unknown fields rejected).</summary>
    public static bool TryParseIssuers(string value, [NotNullWhen(true)] out IReadOnlyList<string>? issuers, out IReadOnlyDictionary<string, string>? jwksUrls)
    {
        issuers = null;
        jwksUrls = null;
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return TryReadStringArray(root, out issuers);
            }

            var props = root.EnumerateObject().ToList();
            if (props.Count != 1 || props[0].Name != "issuer_jwks_map" || props[0].Value.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in props[0].Value.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                map[entry.Name] = entry.Value.GetString()!;
            }

            jwksUrls = map;
            issuers = [.. map.Keys];
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Decodes a JSON array of strings; anything else (including a JSON string scalar) fails.</summary>
    public static bool TryParseStringArray(string value, [NotNullWhen(true)] out IReadOnlyList<string>? values)
    {
        values = null;
        try
        {
            using var doc = JsonDocument.Parse(value);
            return TryReadStringArray(doc.RootElement, out values);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadStringArray(JsonElement element, [NotNullWhen(true)] out IReadOnlyList<string>? values)
    {
        values = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            list.Add(item.GetString()!);
        }

        values = list;
        return true;
    }
}
