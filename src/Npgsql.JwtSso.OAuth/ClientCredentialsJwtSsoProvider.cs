using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.OAuth;

/// <summary>Creates an OAuth 2.0 client-credentials token source (Keycloak, Auth0, any OIDC provider) from configuration: <c>"JwtSso": { "Provider": "ClientCredentials", "ClientCredentials": { … } }</c>, keys named like the properties of <see cref="ClientCredentialsTokenSourceOptions"/>.</summary>
public sealed class ClientCredentialsJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => "ClientCredentials";

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
        => SourceRegistration.Create(section, services, new ClientCredentialsTokenSourceOptions(), Create);

    internal static JwtTokenSource Create(ClientCredentialsTokenSourceOptions options, HttpClient? httpClient, TimeProvider? timeProvider)
        => new ClientCredentialsTokenSource(options, httpClient, timeProvider);
}
