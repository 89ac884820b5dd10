using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso.Gcp;

/// <summary>Creates a Google Cloud ID-token source from configuration: <c>"JwtSso": { "Provider": "Gcp", "Gcp": { … } }</c>, keys named like the properties of <see cref="GcpTokenSourceOptions"/>.</summary>
public sealed class GcpJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => "Gcp";

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(services);
        return Create(JwtSsoConfiguration.Bind(section, new GcpTokenSourceOptions()), services);
    }

    internal static JwtTokenSource Create(GcpTokenSourceOptions options, IServiceProvider services)
        => new GcpTokenSource(options, services.GetService<TimeProvider>());
}
