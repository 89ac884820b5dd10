using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.Okta.Internal;

namespace Npgsql.JwtSso.Okta;

/// <summary>Creates an Okta service-app token source from configuration: <c>"JwtSso": { "Provider": "Okta", "Okta": { … } }</c>, keys named like the properties of <see cref="OktaTokenSourceOptions"/>.</summary>
public sealed class OktaJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => OktaPreset.Kind.Name;

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services) => OktaPreset.Kind.Create(section, services);
}
