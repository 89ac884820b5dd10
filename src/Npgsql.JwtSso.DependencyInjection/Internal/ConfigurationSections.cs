using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>The one check for a configuration section that must hold settings.</summary>
internal static class ConfigurationSections
{
    /// <summary>The key that names an instance's token source.</summary>
    public const string SourceKey = "Provider";

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
