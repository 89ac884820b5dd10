using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Strict configuration binding: every key must mean something, or the host fails to start naming the key.</summary>
internal static class JwtSsoConfigurationBinder
{
    private const string ProviderKey = "Provider";
    private const string StartupKey = "Startup";

    // Provider packages found by convention when referenced, so "Provider": "Gcp" works without extra code.
    private static readonly Dictionary<string, string> KnownProviders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Gcp"] = "Npgsql.JwtSso.Gcp.GcpJwtSsoProvider, Npgsql.JwtSso.Gcp",
        ["Azure"] = "Npgsql.JwtSso.Azure.AzureJwtSsoProvider, Npgsql.JwtSso.Azure",
        ["Okta"] = "Npgsql.JwtSso.Okta.OktaJwtSsoProvider, Npgsql.JwtSso.Okta",
        ["ClientCredentials"] = "Npgsql.JwtSso.Okta.ClientCredentialsJwtSsoProvider, Npgsql.JwtSso.Okta",
    };

    private static readonly string[] OptionNames = [.. typeof(JwtSsoOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .Select(p => p.Name)];

    public static void BindOptions(IConfigurationSection section, JwtSsoOptions options)
    {
        var provider = section[ProviderKey];
        var allowed = new HashSet<string>(OptionNames, StringComparer.OrdinalIgnoreCase) { ProviderKey, StartupKey };
        if (!string.IsNullOrEmpty(provider))
        {
            allowed.Add(provider);
        }

        // Sections of the other known providers may stay, so an environment can switch "Provider" without editing the file.
        allowed.UnionWith(BuiltInJwtSsoProviders.Names);
        allowed.UnionWith(KnownProviders.Keys);

        var unknown = section.GetChildren().Select(c => c.Key).Where(k => !allowed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            var details = unknown.Select(k => $"'{section.Path}:{k}'{Suggest(k, allowed)}");
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"Unknown JWT SSO configuration key(s): {string.Join(", ", details)}. Valid keys: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
        }

        JwtSsoConfiguration.BindCore(IdentityMapAsLines(section), options, errorOnUnknownKeys: false);
    }

    // In JSON a list of lines is the natural form of the identity map: ["issuer principal user", …] reads as those lines.
    private static IConfigurationSection IdentityMapAsLines(IConfigurationSection section)
    {
        var map = section.GetSection(nameof(JwtSsoOptions.IdentityMap));
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

    public static JwtTokenSource CreateSource(string providerName, IConfigurationSection section, IServiceProvider services)
    {
        var provider = services.GetServices<IJwtSsoProvider>().FirstOrDefault(p => string.Equals(p.Name, providerName, StringComparison.OrdinalIgnoreCase))
            ?? BuiltInJwtSsoProviders.Find(providerName)
            ?? FindByConvention(providerName)
            ?? throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"'{section.Path}:{ProviderKey}' is '{providerName}', which is not a known token-source provider. Known: {string.Join(", ", BuiltInJwtSsoProviders.Names.Concat(KnownProviders.Keys))}"
                + (KnownProviders.ContainsKey(providerName) ? $". Reference the package Npgsql.JwtSso.{(providerName.Equals("ClientCredentials", StringComparison.OrdinalIgnoreCase) ? "Okta" : providerName)}." : "; register custom providers with services.AddJwtSsoProvider<T>()."));

        var providerSection = section.GetSection(provider.Name);
        if (!providerSection.Exists())
        {
            providerSection = section.GetChildren().FirstOrDefault(c => string.Equals(c.Key, providerName, StringComparison.OrdinalIgnoreCase)) ?? providerSection;
        }

        return provider.Create(providerSection, services);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "Provider packages are optional; when trimmed away the provider is reported as not referenced.")]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "See above.")]
    private static IJwtSsoProvider? FindByConvention(string providerName)
    {
        if (!KnownProviders.TryGetValue(providerName, out var typeName))
        {
            return null;
        }

        var type = Type.GetType(typeName, throwOnError: false);
        return type is null ? null : Activator.CreateInstance(type) as IJwtSsoProvider;
    }

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
