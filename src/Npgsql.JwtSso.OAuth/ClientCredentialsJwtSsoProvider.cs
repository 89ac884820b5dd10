using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.OAuth;

/// <summary>
/// Creates an OAuth 2.0 client-credentials token source (Keycloak, Auth0, any OIDC provider) from configuration:
/// <c>"JwtSso": { "Provider": "ClientCredentials", "ClientCredentials": { … } }</c>, keys named like the properties of
/// <see cref="ClientCredentialsTokenSourceOptions"/>. Presets for one product (<c>OktaJwtSsoProvider</c>) derive from it
/// with their own name and options type.
/// </summary>
public class ClientCredentialsJwtSsoProvider : IJwtSsoProvider
{
    private readonly ISourceKind _kind;

    /// <summary>Initializes a new instance of the <see cref="ClientCredentialsJwtSsoProvider"/> class.</summary>
    public ClientCredentialsJwtSsoProvider()
        : this(GenericPreset.Kind)
    {
    }

    internal ClientCredentialsJwtSsoProvider(ISourceKind kind) => _kind = kind;

    /// <inheritdoc />
    public string Name => _kind.Name;

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services) => _kind.Create(section, services);
}
