namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// The cluster settings a JWT login depends on, as raw values (<see langword="null"/> = not known to the tool), with
/// CockroachDB's runtime interpretation of the string-or-JSON forms (crdb-jwt-server.md §2).
/// </summary>
internal sealed class ClusterJwtSettings
{
    public const string EnabledName = CockroachClusterSettingNames.Enabled;
    public const string IssuersName = CockroachClusterSettingNames.Issuers;
    public const string AudienceName = CockroachClusterSettingNames.Audience;
    public const string ClaimName = CockroachClusterSettingNames.Claim;
    public const string JwksName = CockroachClusterSettingNames.Jwks;
    public const string AutoFetchName = CockroachClusterSettingNames.JwksAutoFetch;
    public const string IdentityMapName = CockroachClusterSettingNames.IdentityMap;

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

    /// <summary>Gets the issuers setting as the cluster reads it (with the <c>issuer_jwks_map</c> URLs), or <see langword="null"/> when unknown.</summary>
    public CockroachIssuersSetting? IssuersSetting => this[IssuersName] is { } raw ? ParseIssuers(raw) : null;

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

    /// <summary>Reads the issuers setting with the cluster's rules; a value <c>SET CLUSTER SETTING</c> refuses is an error.</summary>
    public static CockroachIssuersSetting ParseIssuers(string raw)
        => CockroachIssuersSetting.IsValid(raw, out var error)
            ? CockroachIssuersSetting.Parse(raw)
            : throw new ToolException($"{IssuersName} is not valid: JSON values must be an array of issuers or {{\"issuer_jwks_map\":{{\"<issuer>\":\"<jwks url>\"}}}} (the cluster says '{error}').");

    /// <summary>Reads the audience setting with the cluster's rules; a value <c>SET CLUSTER SETTING</c> refuses is an error.</summary>
    public static IReadOnlyList<string> ParseAudiences(string raw)
        => CockroachAudienceSetting.IsValid(raw, out var error)
            ? CockroachAudienceSetting.Parse(raw)
            : throw new ToolException($"{AudienceName} is not valid: a JSON value must be an array of strings such as [\"a\",\"b\"] (the cluster says '{error}').");

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
}
