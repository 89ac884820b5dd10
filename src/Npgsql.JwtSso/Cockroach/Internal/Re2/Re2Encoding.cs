namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// The alphabet a translated pattern runs on. <see cref="Utf16"/> is plain UTF-16 (a code point above U+FFFF is its
/// surrogate pair). Expressions with <c>\b</c> or <c>\B</c> use <see cref="AsciiWord"/> instead: an ASCII character
/// stays itself and any other code point <c>c</c> becomes the two units <c>U+E000 + (c &gt;&gt; 10)</c> (private use)
/// and <c>U+DC00 + (c &amp; 0x3FF)</c>, none of which .NET counts as a word character, so .NET's <c>\b</c> becomes
/// RE2's ASCII-only one. In both, a lone surrogate in the input reads as U+FFFD, as Go's decoding of such text gives.
/// In <see cref="Utf16"/> the encoded text ends with <see cref="EndSentinel"/>, a unit no translated class matches; end-of-text assertions
/// consume it. (Without it, .NET's NonBacktracking engine misses a match that is only a final <c>\n</c> when the
/// pattern has a large class, such as <c>\P{L}+</c>; the backtracking engine finds it.)
/// </summary>
internal sealed class Re2Encoding
{
    private Re2Encoding(int singleMax, int pairOffset, int highBase, bool endSentinel)
    {
        HasEndSentinel = endSentinel;
        SingleMax = singleMax;
        PairOffset = pairOffset;
        HighBase = highBase;
    }

    /// <summary>The unit appended to every encoded text: a lone low surrogate, which no translated class or pair matches.</summary>
    public const char EndSentinel = '\uDFFF';

    public static Re2Encoding Utf16 { get; } = new(0xFFFF, 0x10000, 0xD800, true);

    public static Re2Encoding AsciiWord { get; } = new(0x7F, 0, 0xE000, false);

    /// <summary>Gets a value indicating whether the encoded text ends with <see cref="EndSentinel"/> (not with <c>\b</c>, which would see it).</summary>
    public bool HasEndSentinel { get; }

    /// <summary>Gets the highest code point written as one unit (itself).</summary>
    public int SingleMax { get; }

    /// <summary>Gets what is subtracted from a code point above <see cref="SingleMax"/> before splitting it into 10-bit halves.</summary>
    public int PairOffset { get; }

    /// <summary>Gets the unit of the first high half.</summary>
    public int HighBase { get; }

    /// <summary>Encodes <paramref name="text"/> (plus the sentinel); <paramref name="origin"/>[i] is the index in <paramref name="text"/> of encoded unit i (one extra entry for the end).</summary>
    public string Encode(string text, out int[] origin)
    {
        var chars = new char[(text.Length * 2) + 1];
        origin = new int[(text.Length * 2) + 2];
        var n = 0;
        for (var i = 0; i < text.Length;)
        {
            var start = i;
            int c = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                c = char.ConvertToUtf32(text[i], text[i + 1]);
                i += 2;
            }
            else
            {
                c = char.IsSurrogate(text[i]) ? 0xFFFD : c;
                i++;
            }

            origin[n] = start;
            if (c <= SingleMax)
            {
                chars[n++] = (char)c;
                continue;
            }

            var v = c - PairOffset;
            chars[n++] = (char)(HighBase + (v >> 10));
            origin[n] = start;
            chars[n++] = (char)(0xDC00 + (v & 0x3FF));
        }

        origin[n] = text.Length;
        if (HasEndSentinel)
        {
            chars[n++] = EndSentinel;
            origin[n] = text.Length;
        }

        Array.Resize(ref origin, n + 1);
        return new string(chars, 0, n);
    }
}
