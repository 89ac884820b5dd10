using System.Text;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// How CockroachDB's <c>identmap.From</c> reads <c>server.identity_map.configuration</c>: Go's <c>bufio.Scanner</c>
/// lines (split at <c>\n</c>, one trailing <c>\r</c> dropped, reading silently stops at a line of 64 KiB or more), the
/// text from the first <c>#</c> dropped, Go's <c>strings.TrimSpace</c> (Unicode white space), then three fields
/// separated by runs of RE2 <c>\s</c> (<c>[\t\n\f\r ]</c>, ASCII only: a vertical tab or NBSP is part of a field).
/// </summary>
internal static class IdentityMapLines
{
    private const int MaxScanTokenSize = 64 * 1024;

    public static IEnumerable<(int LineNumber, string Text)> Scan(string configuration)
    {
        var lineNumber = 0;
        var start = 0;
        while (start < configuration.Length)
        {
            var newline = configuration.IndexOf('\n', start);
            var end = newline < 0 ? configuration.Length : newline;
            var bytes = Encoding.UTF8.GetByteCount(configuration.AsSpan(start, end - start));
            if (newline >= 0 ? bytes + 1 > MaxScanTokenSize : bytes >= MaxScanTokenSize)
            {
                yield break;
            }

            var text = configuration[start..end];
            if (text.EndsWith('\r'))
            {
                text = text[..^1];
            }

            yield return (++lineNumber, text);
            start = end + 1;
        }
    }

    public static string Tidy(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            line = line[..hash];
        }

        var from = 0;
        var to = line.Length;
        while (from < to && IsGoSpace(line[from]))
        {
            from++;
        }

        while (to > from && IsGoSpace(line[to - 1]))
        {
            to--;
        }

        return line[from..to];
    }

    public static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsRe2Space(line[i]))
            {
                i++;
            }

            var start = i;
            while (i < line.Length && !IsRe2Space(line[i]))
            {
                i++;
            }

            if (i > start)
            {
                fields.Add(line[start..i]);
            }
        }

        return fields;
    }

    /// <summary>RE2's <c>\s</c>.</summary>
    public static bool IsRe2Space(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';

    /// <summary>Go's <c>unicode.IsSpace</c> (the Unicode White_Space property); all such code points are in the BMP.</summary>
    public static bool IsGoSpace(char c) => c is >= '\t' and <= '\r' or ' ' or '\u0085' or '\u00A0' or '\u1680'
        or >= '\u2000' and <= '\u200A' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000';
}
