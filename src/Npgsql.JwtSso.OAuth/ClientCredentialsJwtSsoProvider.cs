using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.OAuth;

/// <summary>Creates an OAuth 2.0 client-credentials token source (Keycloak, Auth0, any OIDC provider) from configuration: <c>"JwtSso": { "Provider": "ClientCredentials", "ClientCredentials": { … } }</c>, keys named like the properties of <see cref="ClientCredentialsTokenSourceOptions"/>.</summary>
public sealed class ClientCredentialsJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => GenericPreset.Kind.Name;

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services) => GenericPreset.Kind.Create(section, services);
}
