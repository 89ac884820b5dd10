using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// The cluster settings a JWT login depends on, as raw values (<see langword="null"/> = not known to the tool), with
/// CockroachDB's runtime interpretation of the string-or-JSON forms (crdb-jwt-server.md §2).
/// </summary>
internal sealed class ClusterJwtSettings
{
    public const string EnabledName = "server.jwt_authentication.enabled";
    public const string IssuersName = "server.jwt_authentication.issuers.configuration";
    public const string AudienceName = "server.jwt_authentication.audience";
    public const string ClaimName = "server.jwt_authentication.claim";
    public const string JwksName = "server.jwt_authentication.jwks";
    public const string AutoFetchName = "server.jwt_authentication.jwks_auto_fetch.enabled";
    public const string IdentityMapName = "server.identity_map.configuration";

    /// <summary>Gets every setting name the tool reads, in the order the doctor reports them.</summary>
    public static IReadOnlyList<string> Names { get; } = [EnabledName, IssuersName, AudienceName, ClaimName, JwksName, AutoFetchName, IdentityMapName];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether at least one setting is known.</summary>
    public bool Any => _values.Count > 0;

    /// <summary>Gets the known raw values by full setting name.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Sets a value by full name or short name (<c>audience</c>, <c>issuers</c>, <c>identity_map</c>, …).</summary>
    public void Set(string name, string value)
    {
        var full = Resolve(name) ?? throw new ToolException(
            $"unknown cluster setting '{name}': use one of {string.Join(", ", Names)} (or the part after 'server.jwt_authentication.', or 'identity_map').");
        _values[full] = value;
    }

    public bool? Enabled => ParseBool(EnabledName);

    public bool? AutoFetch => ParseBool(AutoFetchName);

    /// <summary>Gets the claim holding the principal (<c>sub</c> when empty), or <see langword="null"/> when unknown.</summary>
    public string? Claim => this[ClaimName] is { } c ? (c.Length == 0 ? "sub" : c) : null;

    /// <summary>Gets the accepted issuers (an empty setting accepts only an empty issuer), or <see langword="null"/> when unknown.</summary>
    public IReadOnlyList<string>? Issuers => this[IssuersName] is { } raw ? ParseIssuers(raw).Issuers : null;

    /// <summary>Gets the issuer → JWKS URL map of the <c>issuer_jwks_map</c> form, if used.</summary>
    public IReadOnlyDictionary<string, string>? IssuerJwksMap => this[IssuersName] is { } raw ? ParseIssuers(raw).Map : null;

    /// <summary>Gets the accepted audiences (an empty setting accepts only an empty audience), or <see langword="null"/> when unknown.</summary>
    public IReadOnlyList<string>? Audiences => this[AudienceName] is { } raw ? ParseAudiences(raw) : null;

    /// <summary>Parses the identity map with the core's parser, or returns <see langword="null"/> when unknown.</summary>
    public IdentityMap? GetIdentityMap(out string? error)
    {
        error = null;
        if (this[IdentityMapName] is not { } raw)
        {
            return null;
        }

        return IdentityMap.TryParse(raw, ignoreCase: false, out var map, out error) ? map : IdentityMap.Empty;
    }

    public static string? Resolve(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n is "identity_map" or "identity_map.configuration")
        {
            return IdentityMapName;
        }

        if (n is "issuers" or "server.jwt_authentication.issuers")
        {
            return IssuersName;
        }

        if (Names.Contains(n, StringComparer.Ordinal))
        {
            return n;
        }

        var full = "server.jwt_authentication." + n;
        return Names.Contains(full, StringComparer.Ordinal) ? full : null;
    }

    /// <summary>Parses the issuers setting: <c>issuer_jwks_map</c> object, JSON array, or one literal issuer.</summary>
    public static (IReadOnlyList<string> Issuers, IReadOnlyDictionary<string, string>? Map) ParseIssuers(string raw)
    {
        if (TryParseJson(raw) is not { } json)
        {
            return ([raw], null);
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("issuer_jwks_map", out var mapElement) && mapElement.ValueKind == JsonValueKind.Object)
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in mapElement.EnumerateObject())
                {
                    map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                }

                return (map.Keys.ToList(), map);
            }

            if (StringArray(root) is { } list)
            {
                return (list, null);
            }
        }

        throw new ToolException($"{IssuersName} is not valid: JSON values must be an array of issuers or {{\"issuer_jwks_map\":{{\"<issuer>\":\"<jwks url>\"}}}} (the cluster says 'JWT authentication: issuers JSON not valid').");
    }

    /// <summary>Parses the audience setting: a JSON array, or one literal audience.</summary>
    public static IReadOnlyList<string> ParseAudiences(string raw)
    {
        if (TryParseJson(raw) is not { } json)
        {
            return [raw];
        }

        using (json)
        {
            return StringArray(json.RootElement)
                ?? throw new ToolException($"{AudienceName} is not valid: a JSON value must be an array of strings such as [\"a\",\"b\"] (the cluster says 'JWT authentication audiences JSON not valid').");
        }
    }

    private bool? ParseBool(string name)
    {
        if (this[name] is not { } raw)
        {
            return null;
        }

        return raw.Trim().ToLowerInvariant() switch
        {
            "true" or "t" or "1" or "on" or "yes" => true,
            "false" or "f" or "0" or "off" or "no" => false,
            _ => throw new ToolException($"{name} must be true or false, not '{raw}'."),
        };
    }

    private static JsonDocument? TryParseJson(string raw)
    {
        try
        {
            return JsonDocument.Parse(raw);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string>? StringArray(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            list.Add(item.GetString()!);
        }

        return list;
    }
}
