using System.Globalization;
using System.Text;

namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// Writes a parsed RE2 expression as a .NET pattern over a <see cref="Re2Encoding"/> of the input, in which one code
/// point is always matched whole (never half a surrogate pair). Only RE2 capture groups become .NET capturing groups, named <c>g1</c>,
/// <c>g2</c>, … after their number in source order (so copies made by unrolling share one group); everything else is a
/// non-capturing group.
/// </summary>
internal static class Re2Emitter
{
    [ThreadStatic]
    private static Re2Encoding? _encoding;

    public static string Emit(Re2Node node, Re2Encoding encoding)
    {
        _encoding = encoding;
        try
        {
            var sb = new StringBuilder();
            Write(node, sb);
            return sb.ToString();
        }
        finally
        {
            _encoding = null;
        }
    }

    private static void Write(Re2Node node, StringBuilder sb)
    {
        switch (node.Op)
        {
            case Re2Op.Empty:
                sb.Append("(?:)");
                break;
            case Re2Op.NoMatch:
                sb.Append(@"[^\u0000-\uFFFF]");
                break;
            case Re2Op.CharSet:
                WriteSet(node.Set!, sb);
                break;
            case Re2Op.BeginText:
                sb.Append(@"\A");
                break;
            case Re2Op.EndText:
                // End of text is just before the sentinel: consume it (or be past it when an earlier assertion did).
                sb.Append(_encoding!.HasEndSentinel ? @"(?:\uDFFF|\z)" : @"\z");
                break;
            case Re2Op.BeginLine:
                sb.Append('^');
                break;
            case Re2Op.EndLine:
                sb.Append(_encoding!.HasEndSentinel ? @"(?:\uDFFF|$)" : "$");
                break;
            case Re2Op.WordBoundary:
                sb.Append(@"\b");
                break;
            case Re2Op.NoWordBoundary:
                sb.Append(@"\B");
                break;
            case Re2Op.Capture:
                sb.Append(CultureInfo.InvariantCulture, $"(?<g{node.Cap}>");
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
        if (sub.CanBeEmpty())
        {
            WriteNullableRepeat(node, sub, lazy, sb);
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

    /// <summary>
    /// A repeat whose body can match empty, written as Go simplifies and runs it: x{n,m} unrolled to n copies and
    /// nested optionals, and every loop x+ as x followed by iterations that must consume input (Go's Pike VM drops a
    /// thread that returns to the loop at the position it entered, so an empty iteration never follows another one).
    /// </summary>
    private static void WriteNullableRepeat(Re2Node node, Re2Node sub, string lazy, StringBuilder sb)
    {
        var star = node.Min == 0 && node.Max < 0;
        if (star)
        {
            sb.Append("(?:");
        }

        sb.Append("(?:");
        var copies = node.Max < 0 ? Math.Max(node.Min, 1) : node.Min;
        for (var i = 0; i < copies; i++)
        {
            sb.Append("(?:");
            Write(sub, sb);
            sb.Append(')');
        }

        if (node.Max < 0)
        {
            if (Re2NonEmpty.Of(sub) is { } nonEmpty)
            {
                sb.Append("(?:");
                Write(nonEmpty, sb);
                sb.Append(")*").Append(lazy);
            }
            else
            {
                sb.Append("(?:");
                Write(sub, sb);
                sb.Append(")*").Append(lazy);
            }
        }
        else
        {
            for (var i = copies; i < node.Max; i++)
            {
                sb.Append("(?:");
                Write(sub, sb);
            }

            for (var i = copies; i < node.Max; i++)
            {
                sb.Append(")?").Append(lazy);
            }
        }

        sb.Append(')');
        if (star)
        {
            // x* is (x+)? in Go.
            sb.Append(")?").Append(lazy);
        }
    }

    private static void WriteSet(Re2CodeSet set, StringBuilder sb)
    {
        var encoding = _encoding!;
        var alternatives = new List<string>();
        var single = new StringBuilder();
        var high = new SortedDictionary<int, List<(int Lo, int Hi)>>();
        foreach (var (lo, hi) in set.Ranges)
        {
            if (lo <= encoding.SingleMax)
            {
                var top = Math.Min(hi, encoding.SingleMax);
                if (encoding.SingleMax > 0x7F)
                {
                    // Surrogates never stand for themselves (a lone one reads as U+FFFD).
                    if (lo < 0xD800)
                    {
                        AppendRange(single, lo, Math.Min(top, 0xD7FF));
                    }

                    if (top > 0xDFFF)
                    {
                        AppendRange(single, Math.Max(lo, 0xE000), top);
                    }
                }
                else
                {
                    AppendRange(single, lo, top);
                }
            }

            var from = Math.Max(lo, encoding.SingleMax + 1) - encoding.PairOffset;
            var to = hi - encoding.PairOffset;
            for (var h = from >> 10; from <= to && h <= to >> 10; h++)
            {
                var l0 = h == from >> 10 ? from & 0x3FF : 0;
                var l1 = h == to >> 10 ? to & 0x3FF : 0x3FF;
                if (!high.TryGetValue(h, out var lows))
                {
                    high[h] = lows = [];
                }

                lows.Add((l0, l1));
            }
        }

        if (single.Length > 0)
        {
            alternatives.Add("[" + single + "]");
        }

        // Highs sharing one set of lows form one alternative (the first units of alternatives never overlap).
        var byLows = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (h, lows) in high)
        {
            var lowClass = LowClass(lows);
            if (!byLows.TryGetValue(lowClass, out var highs))
            {
                byLows[lowClass] = highs = [];
                order.Add(lowClass);
            }

            highs.Add(h);
        }

        foreach (var lowClass in order)
        {
            alternatives.Add(HighClass(encoding, byLows[lowClass]) + lowClass);
        }

        if (alternatives.Count == 0)
        {
            sb.Append(@"[^\u0000-\uFFFF]");
        }
        else if (alternatives.Count == 1)
        {
            sb.Append(alternatives[0]);
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
            AppendRange(sb, 0xDC00 + lo, 0xDC00 + hi);
        }

        return sb.Append(']').ToString();
    }

    private static string HighClass(Re2Encoding encoding, List<int> highs)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < highs.Count;)
        {
            var j = i;
            while (j + 1 < highs.Count && highs[j + 1] == highs[j] + 1)
            {
                j++;
            }

            AppendRange(sb, encoding.HighBase + highs[i], encoding.HighBase + highs[j]);
            i = j + 1;
        }

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
