using Npgsql.JwtSso.Internal.Re2;

namespace Npgsql.JwtSso;

/// <summary>
/// One line of a CockroachDB identity map (<c>server.identity_map.configuration</c>):
/// <c>&lt;map-name&gt; &lt;system-identity&gt; &lt;database-username&gt;</c>. For JWT logins the map name is the token's issuer.
/// </summary>
public sealed class IdentityMapRule
{
    private readonly Re2Regex _pattern;
    private readonly int _substituteAt;

    internal IdentityMapRule(int lineNumber, string mapName, string systemIdentity, string databaseUsername, Re2Regex pattern)
    {
        LineNumber = lineNumber;
        MapName = mapName;
        SystemIdentity = systemIdentity;
        DatabaseUsername = databaseUsername;
        _pattern = pattern;
        _substituteAt = databaseUsername.IndexOf(@"\1", StringComparison.Ordinal);
    }

    /// <summary>Gets the 1-based line number of the rule in the configuration text.</summary>
    public int LineNumber { get; }

    /// <summary>Gets the map name; for JWT logins, the issuer (<c>iss</c>) the rule applies to (exact, case-sensitive).</summary>
    public string MapName { get; }

    /// <summary>Gets the system identity as written: a literal principal, or <c>/</c> followed by an unanchored regular expression.</summary>
    public string SystemIdentity { get; }

    /// <summary>Gets the database username as written; its first <c>\1</c> is replaced by the regex's first capture group.</summary>
    public string DatabaseUsername { get; }

    /// <summary>Gets a value indicating whether <see cref="SystemIdentity"/> is a regular expression (starts with <c>/</c>).</summary>
    public bool IsRegex => SystemIdentity.StartsWith('/');

    /// <summary>Returns the rule as a configuration line.</summary>
    /// <returns><c>&lt;map-name&gt; &lt;system-identity&gt; &lt;database-username&gt;</c>.</returns>
    public override string ToString() => $"{MapName} {SystemIdentity} {DatabaseUsername}";

    /// <summary>Applies the rule the way CockroachDB's <c>identmap</c> does: <see langword="null"/> when it does not match or yields an empty name.</summary>
    internal string? Apply(string principal)
    {
        if (_pattern.FindStringSubmatch(principal) is not { } match)
        {
            return null;
        }

        var name = _substituteAt < 0
            ? DatabaseUsername
            : string.Concat(DatabaseUsername.AsSpan(0, _substituteAt), match[1], DatabaseUsername.AsSpan(_substituteAt + 2));
        return name.Length == 0 ? null : name;
    }
}
