using System.Globalization;
using System.Reflection;

namespace Npgsql.JwtSso.Internal.Re2;

/// <summary>
/// The Unicode tables Go's <c>regexp</c> and <c>unicode</c> packages use (categories, scripts, simple case-folding
/// orbits, simple lower-case mapping), generated from Go by tests/re2-oracle/gentables so both sides share one
/// Unicode version instead of .NET's (which has no script data at all).
/// </summary>
internal static class Re2UnicodeData
{
    private static readonly Lazy<Tables> Data = new(Load);

    public static IReadOnlyList<int[]> Orbits => Data.Value.Orbits;

    /// <summary>Go's <c>unicode.Categories[name]</c> then <c>unicode.Scripts[name]</c>, or <c>Any</c>.</summary>
    public static Re2CodeSet? Table(string name)
    {
        if (name == "Any")
        {
            return Re2CodeSet.Of(0, Re2CodeSet.MaxRune);
        }

        var data = Data.Value;
        return data.Categories.TryGetValue(name, out var set) || data.Scripts.TryGetValue(name, out set) ? set : null;
    }

    /// <summary>Go's fold table for a category or script (<c>unicode.FoldCategory</c>, <c>unicode.FoldScript</c>), if any.</summary>
    public static Re2CodeSet? FoldTable(string name)
    {
        if (name == "Any")
        {
            return Re2CodeSet.Of(0, Re2CodeSet.MaxRune);
        }

        var data = Data.Value;
        return data.Categories.ContainsKey(name)
            ? data.FoldCategories.GetValueOrDefault(name)
            : data.FoldScripts.GetValueOrDefault(name);
    }

    /// <summary>Go's <c>unicode.ToLower</c> for one code point.</summary>
    public static int ToLower(int c) => c < 0x80
        ? c is >= 'A' and <= 'Z' ? c + 32 : c
        : Data.Value.Lower.TryGetValue(c, out var l) ? l : c;

    private static Tables Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Npgsql.JwtSso.Re2UnicodeData.txt")
            ?? throw new InvalidOperationException("The RE2 Unicode tables are missing from the assembly.");
        using var reader = new StreamReader(stream);
        var tables = new Tables();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "C":
                    tables.Categories[parts[1]] = ParseRanges(parts.Length > 2 ? parts[2] : string.Empty);
                    break;
                case "S":
                    tables.Scripts[parts[1]] = ParseRanges(parts.Length > 2 ? parts[2] : string.Empty);
                    break;
                case "FC":
                    tables.FoldCategories[parts[1]] = ParseRanges(parts.Length > 2 ? parts[2] : string.Empty);
                    break;
                case "FS":
                    tables.FoldScripts[parts[1]] = ParseRanges(parts.Length > 2 ? parts[2] : string.Empty);
                    break;
                case "F":
                    tables.Orbits.Add([.. parts[1].Split(',').Select(Hex)]);
                    break;
                case "L":
                    foreach (var pair in parts[1].Split(','))
                    {
                        var colon = pair.IndexOf(':', StringComparison.Ordinal);
                        tables.Lower[Hex(pair[..colon])] = Hex(pair[(colon + 1)..]);
                    }

                    break;
                default:
                    break;
            }
        }

        return tables;
    }

    private static Re2CodeSet ParseRanges(string text)
    {
        var set = new Re2CodeSet();
        foreach (var range in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            set.Add(Hex(range[..dash]), Hex(range[(dash + 1)..]));
        }

        return set;
    }

    private static int Hex(string text) => int.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private sealed class Tables
    {
        public Dictionary<string, Re2CodeSet> Categories { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Re2CodeSet> Scripts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Re2CodeSet> FoldCategories { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Re2CodeSet> FoldScripts { get; } = new(StringComparer.Ordinal);

        public List<int[]> Orbits { get; } = [];

        public Dictionary<int, int> Lower { get; } = [];
    }
}
