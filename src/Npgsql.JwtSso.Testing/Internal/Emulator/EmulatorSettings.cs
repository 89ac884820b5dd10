using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>An immutable, interpreted copy of <see cref="CockroachJwtSettings"/> taken at the start of one login.</summary>
internal sealed class EmulatorSettings
{
    private EmulatorSettings()
    {
    }

    internal bool Enabled { get; private init; }

    internal JsonWebKeySet StaticKeys { get; private init; } = JsonWebKeySet.Empty;

    internal IReadOnlyList<string> Issuers { get; private init; } = [];

    internal IReadOnlyDictionary<string, string>? IssuerJwksMap { get; private init; }

    internal IReadOnlyList<string> Audiences { get; private init; } = [];

    internal string Claim { get; private init; } = string.Empty;

    internal bool AutoFetch { get; private init; }

    internal TimeSpan ClientTimeout { get; private init; }

    internal string CustomCa { get; private init; } = string.Empty;

    internal bool RejectNon2xx { get; private init; }

    internal IdentityMap IdentityMap { get; private init; } = IdentityMap.Empty;

    internal string? IdentityMapError { get; private init; }

    internal CockroachJwtLoginFlow Flow { get; private init; }

    internal bool Insecure { get; private init; }

    internal static EmulatorSettings From(
        bool enabled, string jwks, string issuers, string audience, string claim, bool autoFetch, TimeSpan clientTimeout, string customCa, bool rejectNon2xx,
        string identityMap, bool mapIgnoreCase, CockroachJwtLoginFlow flow, bool insecure)
    {
        // Runtime interpretation (crdb-jwt-server §2): map form, else array, else the whole string is one value.
        IReadOnlyList<string> issuerList;
        IReadOnlyDictionary<string, string>? map = null;
        if (TryParseIssuersJson(issuers, out var list, out var jwksMap))
        {
            issuerList = list;
            map = jwksMap;
        }
        else
        {
            issuerList = [issuers];
        }

        var audiences = TryParseStringArray(audience, out var audienceList) ? audienceList : [audience];
        string? mapError = null;
        if (!IdentityMap.TryParse(identityMap, mapIgnoreCase, out var parsedMap, out mapError))
        {
            parsedMap = IdentityMap.Empty;
        }

        return new EmulatorSettings
        {
            Enabled = enabled,
            StaticKeys = JsonWebKeySet.TryParse(jwks, out var keys, out _) ? keys : JsonWebKeySet.Empty,
            Issuers = issuerList,
            IssuerJwksMap = map,
            Audiences = audiences,
            Claim = claim,
            AutoFetch = autoFetch,
            ClientTimeout = clientTimeout,
            CustomCa = customCa,
            RejectNon2xx = rejectNon2xx,
            IdentityMap = parsedMap,
            IdentityMapError = mapError,
            Flow = flow,
            Insecure = insecure,
        };
    }

    /// <summary>Decodes the JSON forms of the issuers setting: a string array, or <c>{"issuer_jwks_map":{…}}</c> (unknown fields rejected).</summary>
    internal static bool TryParseIssuersJson(string value, [NotNullWhen(true)] out IReadOnlyList<string>? issuers, out IReadOnlyDictionary<string, string>? jwksMap)
    {
        issuers = null;
        jwksMap = null;
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var props = root.EnumerateObject().ToList();
                if (props.Count != 1 || props[0].Name != "issuer_jwks_map" || props[0].Value.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var dict = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var entry in props[0].Value.EnumerateObject())
                {
                    if (entry.Value.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    dict[entry.Name] = entry.Value.GetString()!;
                }

                jwksMap = dict;
                issuers = [.. dict.Keys];
                return true;
            }

            return TryParseStringArray(value, out issuers);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Decodes a JSON array of strings; anything else (including a JSON string scalar) fails.</summary>
    internal static bool TryParseStringArray(string value, [NotNullWhen(true)] out IReadOnlyList<string>? values)
    {
        values = null;
        try
        {
            using var doc = JsonDocument.Parse(value);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var list = new List<string>();
            foreach (var item in doc.RootElement.EnumerateArray())
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
        catch (JsonException)
        {
            return false;
        }
    }
}
