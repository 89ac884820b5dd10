using Npgsql.JwtSso.Okta.Internal;
using Npgsql.JwtSso.OAuth;

namespace Npgsql.JwtSso.Okta;

/// <summary>Creates an Okta service-app token source from configuration: <c>"JwtSso": { "Provider": "Okta", "Okta": { … } }</c>, keys named like the properties of <see cref="OktaTokenSourceOptions"/>.</summary>
public sealed class OktaJwtSsoProvider : ClientCredentialsJwtSsoProvider
{
    /// <summary>Initializes a new instance of the <see cref="OktaJwtSsoProvider"/> class.</summary>
    public OktaJwtSsoProvider()
        : base(OktaPreset.Kind)
    {
    }
}
