using System.Globalization;
using System.Text;

namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// Writes a parsed RE2 expression as a .NET pattern over the <see cref="Re2Input"/> encoding (ASCII as itself, every
/// other code point as two units <c>H L</c>), so that one code point is always matched whole, and .NET's <c>\b</c>
/// sees exactly RE2's ASCII word characters. Only RE2 capture groups become .NET capturing groups, numbered in source
/// order; everything else is a non-capturing group.
/// </summary>
internal static class Re2Emitter
{
    public static string Emit(Re2Node node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    private static void Write(Re2Node node, StringBuilder sb)
    {
        switch (node.Op)
        {
            case Re2Op.Empty:
                sb.Append("(?:)");
                break;
            case Re2Op.CharSet:
                WriteSet(node.Set!, sb);
                break;
            case Re2Op.BeginText:
                sb.Append(@"\A");
                break;
            case Re2Op.EndText:
                sb.Append(@"\z");
                break;
            case Re2Op.BeginLine:
                sb.Append('^');
                break;
            case Re2Op.EndLine:
                sb.Append('$');
                break;
            case Re2Op.WordBoundary:
                sb.Append(@"\b");
                break;
            case Re2Op.NoWordBoundary:
                sb.Append(@"\B");
                break;
            case Re2Op.Capture:
                sb.Append('(');
                Write(node.Subs[0], sb);
                sb.Append(')');
                break;
            case Re2Op.Concat:
                sb.Append("(?:");
                foreach (var sub in node.Subs)
                {
                    Write(sub, sb);
                }

                sb.Append(')');
                break;
            case Re2Op.Alternate:
                sb.Append("(?:");
                for (var i = 0; i < node.Subs.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append('|');
                    }

                    Write(node.Subs[i], sb);
                }

                sb.Append(')');
                break;
            case Re2Op.Repeat:
                WriteRepeat(node, sb);
                break;
            default:
                throw new InvalidOperationException($"Unknown RE2 node {node.Op}.");
        }
    }

    private static void WriteRepeat(Re2Node node, StringBuilder sb)
    {
        var lazy = node.Greedy ? string.Empty : "?";
        var sub = node.Subs[0];
        if (node.Min == 0 && node.Max < 0 && sub.CanBeEmpty())
        {
            // Go compiles x* with an x that can match empty as (x+)? to keep the priority order (golang.org/issue/46123).
            sb.Append("(?:(?:");
            Write(sub, sb);
            sb.Append(")+").Append(lazy).Append(")?").Append(lazy);
            return;
        }

        sb.Append("(?:");
        Write(sub, sb);
        sb.Append(')');
        sb.Append((node.Min, node.Max) switch
        {
            (0, -1) => "*",
            (1, -1) => "+",
            (0, 1) => "?",
            (var min, -1) => string.Create(CultureInfo.InvariantCulture, $"{{{min},}}"),
            var (min, max) when min == max => string.Create(CultureInfo.InvariantCulture, $"{{{min}}}"),
            var (min, max) => string.Create(CultureInfo.InvariantCulture, $"{{{min},{max}}}"),
        });
        sb.Append(lazy);
    }

    private static void WriteSet(Re2CodeSet set, StringBuilder sb)
    {
        var alternatives = new List<string>();
        var ascii = new StringBuilder();
        var high = new SortedDictionary<int, List<(int Lo, int Hi)>>();
        foreach (var (lo, hi) in set.Ranges)
        {
            if (lo < 0x80)
            {
                AppendRange(ascii, lo, Math.Min(hi, 0x7F));
            }

            var from = Math.Max(lo, 0x80);
            for (var h = from >> 10; from <= hi && h <= hi >> 10; h++)
            {
                var l0 = h == from >> 10 ? from & 0x3FF : 0;
                var l1 = h == hi >> 10 ? hi & 0x3FF : 0x3FF;
                if (!high.TryGetValue(h, out var lows))
                {
                    high[h] = lows = [];
                }

                lows.Add((l0, l1));
            }
        }

        if (ascii.Length > 0)
        {
            alternatives.Add("[" + ascii + "]");
        }

        int? groupStart = null;
        var groupEnd = 0;
        string? groupLows = null;
        foreach (var (h, lows) in high)
        {
            var lowClass = LowClass(lows);
            if (groupStart is not null && h == groupEnd + 1 && lowClass == groupLows)
            {
                groupEnd = h;
                continue;
            }

            if (groupStart is { } s)
            {
                alternatives.Add(HighClass(s, groupEnd) + groupLows);
            }

            groupStart = h;
            groupEnd = h;
            groupLows = lowClass;
        }

        if (groupStart is { } start)
        {
            alternatives.Add(HighClass(start, groupEnd) + groupLows);
        }

        if (alternatives.Count == 0)
        {
            sb.Append(@"[^\u0000-\uFFFF]");
        }
        else
        {
            sb.Append("(?:").AppendJoin('|', alternatives).Append(')');
        }
    }

    private static string LowClass(List<(int Lo, int Hi)> lows)
    {
        var sb = new StringBuilder("[");
        foreach (var (lo, hi) in lows)
        {
            AppendRange(sb, Re2Input.LowBase + lo, Re2Input.LowBase + hi);
        }

        return sb.Append(']').ToString();
    }

    private static string HighClass(int first, int last)
    {
        var sb = new StringBuilder("[");
        AppendRange(sb, Re2Input.HighBase + first, Re2Input.HighBase + last);
        return sb.Append(']').ToString();
    }

    private static void AppendRange(StringBuilder sb, int lo, int hi)
    {
        sb.Append(CultureInfo.InvariantCulture, $"\\u{lo:X4}");
        if (hi != lo)
        {
            sb.Append(CultureInfo.InvariantCulture, $"-\\u{hi:X4}");
        }
    }
}
