using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso.Okta;

/// <summary>Creates an OAuth 2.0 client-credentials token source (Keycloak, Auth0, any OIDC provider) from configuration: <c>"JwtSso": { "Provider": "ClientCredentials", "ClientCredentials": { … } }</c>, keys named like the properties of <see cref="ClientCredentialsTokenSourceOptions"/>.</summary>
public sealed class ClientCredentialsJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => "ClientCredentials";

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(services);
        return Create(JwtSsoConfiguration.Bind(section, new ClientCredentialsTokenSourceOptions()), services);
    }

    internal static JwtTokenSource Create(ClientCredentialsTokenSourceOptions options, IServiceProvider services)
        => new ClientCredentialsTokenSource(options, (HttpClient?)null, services.GetService<TimeProvider>());
}
