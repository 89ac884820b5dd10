using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>The one check for a configuration section that must hold settings.</summary>
internal static class ConfigurationSections
{
    /// <summary>The key that names an instance's token source.</summary>
    public const string SourceKey = "Source";

    /// <summary>The key's name in earlier previews, refused with a pointer to <see cref="SourceKey"/>.</summary>
    public const string RenamedSourceKey = "Provider";

    /// <exception cref="JwtSsoException">The section still names its source with the old key (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    public static void ThrowIfRenamedKey(IConfigurationSection section)
    {
        if (section.GetChildren().FirstOrDefault(c => string.Equals(c.Key, RenamedSourceKey, StringComparison.OrdinalIgnoreCase)) is { } old)
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"'{old.Path}' is now '{ConfigurationPath.Combine(section.Path, SourceKey)}': the key that chooses the token source is called {SourceKey}. Rename it (the value stays the same).");
        }
    }

    /// <exception cref="JwtSsoException">The section is missing or empty (<see cref="JwtSsoErrorKind.Configuration"/>).</exception>
    public static void ThrowIfEmpty(IConfigurationSection section, string holds)
    {
        if (!section.GetChildren().Any())
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                null,
                $"The configuration section '{section.Path}' is missing or empty; it must hold {holds}. Add it to appsettings.json (or the environment), or configure the instance in code.");
        }
    }
}
