using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Strict configuration binding: every key must mean something, or the host fails to start naming the key.</summary>
internal static class JwtSsoConfigurationBinder
{
    private const string SourceKey = ConfigurationSections.SourceKey;
    private const string StartupKey = "Startup";

    // The flat keys of an instance's section: each binds to the options type that has the property.
    private static readonly string[] OptionNames = [.. typeof(JwtTokenCacheOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Concat(typeof(JwtSsoConnectionOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        .Where(p => p.CanWrite)
        .Select(p => p.Name)];

    public static void BindCacheOptions(IConfigurationSection section, JwtTokenCacheOptions options, IEnumerable<string> sourceNames)
    {
        CheckKeys(section, sourceNames);
        JwtSsoConfiguration.BindCore(section, options, errorOnUnknownKeys: false);
    }

    public static void BindConnectionOptions(IConfigurationSection section, JwtSsoConnectionOptions options, IEnumerable<string> sourceNames)
    {
        CheckKeys(section, sourceNames);
        JwtSsoConfiguration.BindCore(IdentityMapAsLines(section), options, errorOnUnknownKeys: false);
    }

    private static void CheckKeys(IConfigurationSection section, IEnumerable<string> sourceNames)
    {
        var source = section[SourceKey];
        var allowed = new HashSet<string>(OptionNames, StringComparer.OrdinalIgnoreCase) { SourceKey, StartupKey };
        if (!string.IsNullOrEmpty(source))
        {
            allowed.Add(source);
        }

        // Sections of the other registered sources may stay, so an environment can switch "Source" without editing the file.
        allowed.UnionWith(sourceNames);

        var unknown = section.GetChildren().Select(c => c.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var details = unknown.Select(k => $"'{section.Path}:{k}'{Suggest(k, allowed)}");
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"Unknown JWT SSO configuration key(s): {string.Join(", ", details)}. Valid keys: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
        }
    }

    // In JSON a list of lines is the natural form of the identity map: ["issuer principal user", …] reads as those lines.
    private static IConfigurationSection IdentityMapAsLines(IConfigurationSection section)
    {
        var map = section.GetSection(nameof(JwtSsoConnectionOptions.IdentityMap));
        var lines = map.GetChildren().ToList();
        if (map.Value is not null || lines.Count == 0)
        {
            return section;
        }

        foreach (var line in lines)
        {
            if (!int.TryParse(line.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) || line.GetChildren().Any())
            {
                throw new JwtSsoException(
                    JwtSsoErrorKind.Configuration,
                    null,
                    $"'{line.Path}' is not a line of the identity map: '{map.Path}' takes a string of pg_ident lines (\"issuer principal sql_user\", one per line) or an array of such strings.");
            }
        }

        return new JoinedLinesSection(section, map.Key, string.Join('\n', lines.Select(l => l.Value ?? string.Empty)));
    }

    public static void BindStartup(IConfigurationSection section, JwtSsoStartupOptions options)
        => JwtSsoConfiguration.BindIfPresent(section.GetSection(StartupKey), options);

    private static string Suggest(string key, IEnumerable<string> allowed)
    {
        var best = allowed.Select(a => (a, d: Distance(key.ToUpperInvariant(), a.ToUpperInvariant()))).OrderBy(x => x.d).FirstOrDefault();
        return best.a is not null && best.d <= Math.Max(2, key.Length / 3) ? $" (did you mean '{best.a}'?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
