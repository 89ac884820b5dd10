using System.Text;
using Npgsql.JwtSso.Internal.Re2;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// CockroachDB's <c>lexbase.NormalizeName</c>: every code point through Go's <c>unicode.ToLower</c>, except that both
/// Turkish i's (U+0130 İ and U+0131 ı) become ASCII <c>i</c>; then NFC unless the result is ASCII.
/// </summary>
internal static class CrdbNameNormalizer
{
    public static string Normalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        var ascii = true;
        for (var i = 0; i < name.Length;)
        {
            int c = name[i];
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                c = char.ConvertToUtf32(name[i], name[i + 1]);
                i += 2;
            }
            else
            {
                c = char.IsSurrogate(name[i]) ? 0xFFFD : c;
                i++;
            }

            var lower = c is 0x130 or 0x131 ? 'i' : Re2UnicodeData.ToLower(c);
            ascii &= lower < 0x80;
            sb.Append(char.ConvertFromUtf32(lower));
        }

        var result = sb.ToString();
        return ascii ? result : result.Normalize(NormalizationForm.FormC);
    }
}
