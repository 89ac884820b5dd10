namespace Npgsql.JwtSso.EndToEnd.Tests.LeakScan;

/// <summary>
/// Finds secrets in captured text: for a JWT each of its three parts and every 16-character substring of its
/// signature; for any other secret (client secrets) the whole value. Findings never contain the secret itself.
/// </summary>
internal static class LeakFinder
{
    public const int FragmentLength = 16;

    public static IReadOnlyList<string> Find(string text, IEnumerable<string> secrets)
    {
        var findings = new List<string>();
        var fragments = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var secret in secrets)
        {
            index++;
            var parts = secret.Split('.');
            if (parts.Length != 3)
            {
                Check(text, secret, $"secret #{index} (whole value)", findings);
                continue;
            }

            Check(text, parts[0], $"token #{index} header part", findings);
            Check(text, parts[1], $"token #{index} payload part", findings);
            Check(text, parts[2], $"token #{index} signature part", findings);
            for (var i = 0; i + FragmentLength <= parts[2].Length; i++)
            {
                fragments.TryAdd(parts[2].Substring(i, FragmentLength), index);
            }
        }

        // One pass over the text instead of one search per fragment.
        for (var i = 0; i + FragmentLength <= text.Length; i++)
        {
            if (fragments.TryGetValue(text.Substring(i, FragmentLength), out var token))
            {
                findings.Add($"a 16-character fragment of token #{token}'s signature at offset {i}: …{Around(text, i)}…");
                break;
            }
        }

        return findings;
    }

    private static void Check(string text, string part, string what, List<string> findings)
    {
        if (part.Length == 0)
        {
            return;
        }

        var at = text.IndexOf(part, StringComparison.Ordinal);
        if (at >= 0)
        {
            findings.Add($"{what} at offset {at}: …{Around(text, at)}…");
        }
    }

    /// <summary>The 40 characters before a finding, so the report shows where it was without repeating the secret.</summary>
    private static string Around(string text, int at) => text[Math.Max(0, at - 40)..at];
}
