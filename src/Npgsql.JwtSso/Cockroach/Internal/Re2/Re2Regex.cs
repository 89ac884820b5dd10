using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// A Go <c>regexp</c> (RE2) expression compiled into an equivalent .NET pattern that runs with
/// <see cref="RegexOptions.NonBacktracking"/>: linear time in the input, no timeout, Go's syntax, Go's error texts,
/// Go's leftmost-first match and capture groups numbered in source order.
/// </summary>
internal sealed class Re2Regex
{
    private readonly Regex _regex;

    private readonly Re2Encoding _encoding;

    private Re2Regex(Regex regex, int numSubexp, Re2Encoding encoding)
    {
        _regex = regex;
        NumSubexp = numSubexp;
        _encoding = encoding;
    }

    /// <summary>Gets the number of capture groups (Go's <c>NumSubexp</c>).</summary>
    public int NumSubexp { get; }

    /// <summary>Gets the translated .NET pattern (diagnostics and tests).</summary>
    public string DotNetPattern => _regex.ToString();

    /// <summary>Compiles <paramref name="pattern"/> as Go's <c>regexp.Compile</c> would.</summary>
    /// <exception cref="Re2SyntaxException">Go refuses the pattern; the message is Go's.</exception>
    public static Re2Regex Compile(string pattern)
    {
        var (root, numSubexp) = Re2Parser.Parse(pattern);
        var encoding = UsesWordBoundary(root) ? Re2Encoding.AsciiWord : Re2Encoding.Utf16;
        var regex = new Regex(Re2Emitter.Emit(root, encoding), RegexOptions.NonBacktracking | RegexOptions.Multiline | RegexOptions.CultureInvariant);
        return new Re2Regex(regex, numSubexp, encoding);
    }

    private static bool UsesWordBoundary(Re2Node node) =>
        node.Op is Re2Op.WordBoundary or Re2Op.NoWordBoundary || node.Subs.Exists(UsesWordBoundary);

    /// <summary>Go's <c>FindStringSubmatch</c>: the leftmost-first match, or <see langword="null"/>; element i is group i's text (empty when it did not take part).</summary>
    public string[]? FindStringSubmatch(string input)
    {
        var encoded = _encoding.Encode(input, out var origin);
        var match = _regex.Match(encoded);
        if (!match.Success)
        {
            return null;
        }

        var result = new string[NumSubexp + 1];
        for (var i = 0; i <= NumSubexp; i++)
        {
            var group = i == 0 ? match.Groups[0] : match.Groups["g" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            result[i] = group.Success ? input[origin[group.Index]..origin[group.Index + group.Length]] : string.Empty;
        }

        return result;
    }
}
