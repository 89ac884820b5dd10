using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// The value of <c>server.jwt_authentication.issuers.configuration</c> as a CockroachDB node reads it at login: the
/// <c>{"issuer_jwks_map":{…}}</c> form (issuers plus their JWKS URLs), else a JSON array of issuers, else the whole
/// string is one issuer (so the default empty value accepts only tokens with an empty or absent <c>iss</c>).
/// </summary>
public sealed class CockroachIssuersSetting
{
    private CockroachIssuersSetting(IReadOnlyList<string> issuers, IReadOnlyDictionary<string, string>? jwksUrls)
    {
        Issuers = issuers;
        JwksUrls = jwksUrls;
    }

    /// <summary>Gets the accepted issuers, compared with the token's <c>iss</c> exactly (case-sensitive, no URL normalisation).</summary>
    public IReadOnlyList<string> Issuers { get; }

    /// <summary>Gets the issuer → JWKS URL map of the <c>issuer_jwks_map</c> form, or <see langword="null"/> for the other forms.</summary>
    public IReadOnlyDictionary<string, string>? JwksUrls { get; }

    /// <summary>Reads a setting value the way a node does at login; never fails (a value <c>SET</c> would refuse counts as one literal issuer).</summary>
    /// <param name="value">The setting value.</param>
    /// <returns>The interpreted setting.</returns>
    public static CockroachIssuersSetting Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SettingJson.TryParseIssuers(value, out var issuers, out var map)
            ? new CockroachIssuersSetting(issuers, map)
            : new CockroachIssuersSetting([value], null);
    }

    /// <summary>
    /// Checks a value the way <c>SET CLUSTER SETTING</c> does: text that is not JSON is one issuer; JSON must be an array
    /// of strings or the <c>issuer_jwks_map</c> object.
    /// </summary>
    /// <param name="value">The setting value.</param>
    /// <param name="error">The cluster's message (<c>JWT authentication: issuers JSON not valid</c>) when the value is refused.</param>
    /// <returns>Whether the cluster accepts the value.</returns>
    public static bool IsValid(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = SettingJson.IsJson(value) && !SettingJson.TryParseIssuers(value, out _, out _) ? "JWT authentication: issuers JSON not valid" : null;
        return error is null;
    }

    /// <summary>Returns whether <paramref name="issuer"/> (a token's <c>iss</c>, empty when absent) is accepted.</summary>
    /// <param name="issuer">The token's issuer.</param>
    /// <returns><see langword="true"/> when the issuer is in <see cref="Issuers"/>.</returns>
    public bool Accepts(string issuer) => Issuers.Contains(issuer, StringComparer.Ordinal);

    /// <summary>Returns the JWKS URL the <c>issuer_jwks_map</c> form names for <paramref name="issuer"/>, or <see langword="null"/> (discovery is used).</summary>
    /// <param name="issuer">The token's issuer.</param>
    /// <returns>The mapped JWKS URL, or <see langword="null"/>.</returns>
    public string? GetJwksUrl(string issuer) => JwksUrls is not null && JwksUrls.TryGetValue(issuer, out var url) ? url : null;
}
