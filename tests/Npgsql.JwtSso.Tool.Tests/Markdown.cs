namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>Reads sections of the READMEs: from a heading to the next heading of the same or a higher level, outside code fences.</summary>
internal static class Markdown
{
    public static string Section(string markdown, string heading)
    {
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"heading '{heading}' not found");
        var level = heading.TakeWhile(c => c == '#').Count();
        var inFence = false;
        var end = lines.Length;
        for (var i = start + 1; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && lines[i].StartsWith('#'))
            {
                var hashes = lines[i].TakeWhile(c => c == '#').Count();
                if (hashes <= level && lines[i].Length > hashes && lines[i][hashes] == ' ')
                {
                    end = i;
                    break;
                }
            }
        }

        return string.Join('\n', lines[start..end]);
    }
}
