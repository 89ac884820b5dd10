using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Okta.Tests.Support;

/// <summary>Okta sources for an app registered on the fixture's emulated Okta org.</summary>
internal static class OktaSources
{
    public static OktaTokenSource Source(this IssuerFixture fixture, LocalOktaClient client, Action<OktaTokenSourceOptions>? configure = null)
    {
        var options = new OktaTokenSourceOptions { Issuer = fixture.CustomIssuer, ClientId = client.ClientId, ClientSecret = client.ClientSecret };
        options.Scopes.Add("crdb.login");
        configure?.Invoke(options);
        return new OktaTokenSource(options, fixture.Http, fixture.Time);
    }
}
