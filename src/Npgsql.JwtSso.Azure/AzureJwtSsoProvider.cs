using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Azure;

/// <summary>Creates a Microsoft Entra ID token source from configuration: <c>"JwtSso": { "Provider": "Azure", "Azure": { … } }</c>, keys named like the properties of <see cref="AzureTokenSourceOptions"/>.</summary>
public sealed class AzureJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => "Azure";

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(services);
        return Create(JwtSsoConfiguration.Bind(section, new AzureTokenSourceOptions()), services);
    }

    internal static JwtTokenSource Create(AzureTokenSourceOptions options, IServiceProvider services)
        => new AzureTokenSource(options, services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
}
