using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// The value of <c>server.jwt_authentication.audience</c> as a CockroachDB node reads it: a JSON array of strings, or
/// the whole string as one audience (so the default empty value accepts only an empty <c>aud</c>).
/// </summary>
public static class CockroachAudienceSetting
{
    /// <summary>Reads a setting value the way a node does at login; never fails.</summary>
    /// <param name="value">The setting value.</param>
    /// <returns>The accepted audiences, compared with the token's <c>aud</c> values exactly.</returns>
    public static IReadOnlyList<string> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SettingJson.TryParseStringArray(value, out var audiences) ? audiences : [value];
    }

    /// <summary>
    /// Checks a value the way <c>SET CLUSTER SETTING</c> does: text that is not JSON is one audience; JSON must be an
    /// array of strings (so a JSON scalar such as <c>"abc"</c> with quotes, <c>123</c> or <c>true</c> is refused).
    /// </summary>
    /// <param name="value">The setting value.</param>
    /// <param name="error">The cluster's message (<c>JWT authentication audiences JSON not valid</c>) when the value is refused.</param>
    /// <returns>Whether the cluster accepts the value.</returns>
    public static bool IsValid(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = SettingJson.IsJson(value) && !SettingJson.TryParseStringArray(value, out _) ? "JWT authentication audiences JSON not valid" : null;
        return error is null;
    }
}
