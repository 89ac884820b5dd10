namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// The alphabet translated patterns run on: an ASCII character stays itself; any other code point <c>c</c> becomes
/// the two units <c>HighBase + (c &gt;&gt; 10)</c> (private use) and <c>LowBase + (c &amp; 0x3FF)</c> (low surrogates),
/// neither of which .NET counts as a word character. A match can then never split a code point, and .NET's
/// <c>\b</c> is RE2's ASCII-only one. A lone surrogate in the input reads as U+FFFD, as Go's decoding of such text gives.
/// </summary>
internal static class Re2Input
{
    public const int HighBase = 0xE000;
    public const int LowBase = 0xDC00;

    /// <summary>Encodes <paramref name="text"/>; <paramref name="origin"/>[i] is the index in <paramref name="text"/> of encoded unit i (one extra entry for the end).</summary>
    public static string Encode(string text, out int[] origin)
    {
        var chars = new char[text.Length * 2];
        origin = new int[(text.Length * 2) + 1];
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
            if (c < 0x80)
            {
                chars[n++] = (char)c;
                continue;
            }

            chars[n++] = (char)(HighBase + (c >> 10));
            origin[n] = start;
            chars[n++] = (char)(LowBase + (c & 0x3FF));
        }

        origin[n] = text.Length;
        Array.Resize(ref origin, n + 1);
        return new string(chars, 0, n);
    }
}
