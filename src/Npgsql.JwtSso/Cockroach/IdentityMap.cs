using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Npgsql.JwtSso.Internal;
using Npgsql.JwtSso.Internal.Re2;

namespace Npgsql.JwtSso;

/// <summary>
/// A CockroachDB identity map (<c>server.identity_map.configuration</c>, pg_ident.conf syntax) evaluated exactly as the
/// cluster does for JWT logins: the map name is the token's issuer; a literal identity matches the whole principal;
/// an identity starting with <c>/</c> is an <em>unanchored</em> regular expression whose first capture group replaces
/// the first <c>\1</c> in the username; results are normalised (lower case, NFC) and de-duplicated in rule order.
/// </summary>
/// <remarks>
/// When at least one rule exists for an issuer, only mapped names are accepted for that issuer (the raw principal is
/// no longer a candidate). Regular expressions have Go <c>regexp</c> (RE2) semantics, as on the cluster: RE2 syntax and
/// error messages, ASCII-only <c>\w \d \s \b</c>, <c>$</c> as end of text, leftmost-first alternation, capture groups
/// (named or not) numbered in source order, code points rather than UTF-16 units. They are translated to .NET patterns
/// run with <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>, so matching takes linear time.
/// </remarks>
public sealed class IdentityMap
{
    private readonly Dictionary<string, IdentityMapRule[]> _byIssuer;

    private IdentityMap(IdentityMapRule[] rules, bool ignoreCase)
    {
        Rules = rules;
        IgnoreCase = ignoreCase;
        _byIssuer = rules.GroupBy(r => r.MapName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Gets an identity map without rules: every principal is its own username.</summary>
    public static IdentityMap Empty { get; } = new([], false);

    /// <summary>Gets the rules in configuration order.</summary>
    public IReadOnlyList<IdentityMapRule> Rules { get; }

    /// <summary>Gets a value indicating whether principals are matched case-insensitively (CockroachDB 26.1 and later).</summary>
    public bool IgnoreCase { get; }

    /// <summary>Parses the value of <c>server.identity_map.configuration</c>.</summary>
    /// <param name="configuration">The configuration text: one <c>&lt;issuer&gt; &lt;principal-or-/regex&gt; &lt;username&gt;</c> rule per line; <c>#</c> starts a comment.</param>
    /// <param name="ignoreCase"><see langword="true"/> to match principals case-insensitively, as CockroachDB 26.1 and later do; <see langword="false"/> for earlier versions.</param>
    /// <returns>The parsed map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">A line is malformed; the message is the one the cluster gives (for example <c>unable to parse line 2: "a b"</c>).</exception>
    public static IdentityMap Parse(string configuration, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return TryParse(configuration, ignoreCase, out var map, out var error) ? map : throw new FormatException(error);
    }

    /// <summary>Tries to parse the value of <c>server.identity_map.configuration</c>.</summary>
    /// <param name="configuration">The configuration text.</param>
    /// <param name="ignoreCase"><see langword="true"/> to match principals case-insensitively (CockroachDB 26.1+).</param>
    /// <param name="map">The parsed map, when successful.</param>
    /// <param name="error">The cluster's error message, when not.</param>
    /// <returns><see langword="true"/> when the configuration is valid.</returns>
    public static bool TryParse(string? configuration, bool ignoreCase, [NotNullWhen(true)] out IdentityMap? map, [NotNullWhen(false)] out string? error)
    {
        map = null;
        var rules = new List<IdentityMapRule>();
        foreach (var (lineNumber, text) in IdentityMapLines.Scan(configuration ?? string.Empty))
        {
            var line = IdentityMapLines.Tidy(text);
            if (line.Length == 0)
            {
                continue;
            }

            var parts = IdentityMapLines.SplitFields(line);
            if (parts.Count != 3)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"unable to parse line {lineNumber}: {GoText.Quote(line)}");
                return false;
            }

            var expression = parts[1].StartsWith('/') ? parts[1][1..] : "^" + QuoteMeta(parts[1]) + "$";
            Re2Regex pattern;
            try
            {
                // The 26.1 case-insensitive mode is modelled as the (?i) flag in front of every rule's expression.
                pattern = Re2Regex.Compile(ignoreCase ? "(?i)" + expression : expression);
            }
            catch (Re2SyntaxException e)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"unable to parse line {lineNumber}: {e.Message}");
                return false;
            }

            if (parts[2].Contains(@"\1", StringComparison.Ordinal) && pattern.NumSubexp == 0)
            {
                error = string.Create(CultureInfo.InvariantCulture, $@"saw \1 substitution on line {lineNumber}, but pattern contains no subexpressions");
                return false;
            }

            rules.Add(new IdentityMapRule(lineNumber, parts[0], parts[1], parts[2], pattern));
        }

        map = new IdentityMap([.. rules], ignoreCase);
        error = null;
        return true;
    }

    /// <summary>Returns whether at least one rule has <paramref name="issuer"/> as its map name (then only mapped names are accepted).</summary>
    /// <param name="issuer">The token's <c>iss</c> claim.</param>
    /// <returns><see langword="true"/> when the issuer has rules.</returns>
    public bool HasMap(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return _byIssuer.ContainsKey(issuer);
    }

    /// <summary>Maps a principal through the rules of one issuer.</summary>
    /// <param name="issuer">The token's <c>iss</c> claim (the map name).</param>
    /// <param name="principal">One principal from the token's configured claim.</param>
    /// <returns>The normalised usernames in rule order, de-duplicated as the cluster does (on the substituted name before normalisation, so two rules yielding <c>Bob</c> and <c>bob</c> give <c>bob</c> twice); empty when no rule matches or the issuer has no rules (see <see cref="HasMap"/>).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public IReadOnlyList<string> Map(string issuer, string principal)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(principal);
        if (!_byIssuer.TryGetValue(issuer, out var rules))
        {
            return [];
        }

        // As the cluster does: duplicates are recognised on the substituted text, before normalisation.
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule.Apply(principal) is { } name && seen.Add(name))
            {
                names.Add(CockroachJwtIdentity.NormalizeUsername(name));
            }
        }

        return names;
    }

    /// <summary>
    /// Suggests the identity-map line that maps <paramref name="principal"/> of <paramref name="issuer"/> to
    /// <paramref name="username"/>: a literal line when possible, otherwise an anchored regex line.
    /// </summary>
    /// <param name="issuer">The token's issuer.</param>
    /// <param name="principal">The principal to map.</param>
    /// <param name="username">The SQL username to map to.</param>
    /// <returns>The line, or <see langword="null"/> when the issuer or username cannot be written in a map line (empty, white space or <c>#</c>).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string? SuggestLine(string issuer, string principal, string username)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(username);
        username = CockroachJwtIdentity.NormalizeUsername(username);
        if (!IsWritableToken(issuer) || !IsWritableToken(username) || username.Contains(@"\1", StringComparison.Ordinal))
        {
            return null;
        }

        var identity = IsWritableToken(principal) && !principal.StartsWith('/') ? principal : "/^" + EscapeForRe2(principal) + "$";
        return $"{issuer} {identity} {username}";
    }

    private static string QuoteMeta(string text)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static bool IsWritableToken(string token)
        => token.Length > 0 && !token.Contains('#', StringComparison.Ordinal) && !token.Any(char.IsWhiteSpace);

    private static string EscapeForRe2(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '.' or '+' or '*' or '?' or '(' or ')' or '|' or '[' or ']' or '{' or '}' or '^' or '$')
            {
                sb.Append('\\').Append(c);
            }
            else if (c == '#' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                // \xNN is the escape both RE2 and .NET understand; beyond U+00FF they share none, so any character will do.
                sb.Append(c <= '\u00FF' ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : ".");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
