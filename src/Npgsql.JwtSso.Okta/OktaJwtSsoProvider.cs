using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.Okta;

/// <summary>Creates an Okta service-app token source from configuration: <c>"JwtSso": { "Provider": "Okta", "Okta": { … } }</c>, keys named like the properties of <see cref="OktaTokenSourceOptions"/>.</summary>
public sealed class OktaJwtSsoProvider : IJwtSsoProvider
{
    /// <inheritdoc />
    public string Name => "Okta";

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The section is missing, empty, has an unknown key, or its settings are invalid; the message names the key.</exception>
    public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
        => SourceRegistration.Create(section, services, new OktaTokenSourceOptions(), Create);

    internal static JwtTokenSource Create(OktaTokenSourceOptions options, HttpClient? httpClient, TimeProvider? timeProvider)
        => new OktaTokenSource(options, httpClient, timeProvider);
}
