using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests;

/// <summary>Token-endpoint discovery from the issuer, against the emulated Okta org and the issuer's generic OIDC endpoints.</summary>
public sealed class DiscoveryTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    [Fact]
    public async Task GetTokenAsync_IssuerOnly_DiscoversOnceThenReusesEndpoint()
    {
        var client = fixture.AddClient();
        var source = Generic(fixture.CustomIssuer, client);
        var before = fixture.Issuer.RequestCount(IssuerEndpointNames.OktaDiscovery);

        Assert.Null(source.TokenEndpoint);
        await source.GetTokenAsync(CancellationToken.None);
        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(1, fixture.Issuer.RequestCount(IssuerEndpointNames.OktaDiscovery) - before);
        Assert.Equal(fixture.CustomIssuer + "/v1/token", source.TokenEndpoint!.AbsoluteUri);
        Assert.Equal(client.ClientId, token.Subject);
        var discovery = fixture.Issuer.GetRequests().Last(r => r.Endpoint == IssuerEndpointNames.OktaDiscovery);
        Assert.EndsWith("/.well-known/oauth-authorization-server", discovery.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NoOAuthMetadata_FallsBackToOpenIdConfiguration()
    {
        // The issuer's generic endpoints publish only /.well-known/openid-configuration, with token_endpoint /token.
        var source = new ClientCredentialsTokenSource(
            new ClientCredentialsTokenSourceOptions { Issuer = new Uri(fixture.Issuer.Issuer), ClientId = "any", ClientSecret = "any" },
            fixture.Http,
            fixture.Time);

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(new Uri(fixture.Issuer.Issuer + "/token"), source.TokenEndpoint);
        Assert.Equal(fixture.Issuer.Issuer, token.Issuer);
    }

    [Fact]
    public async Task GetTokenAsync_UnknownServer_ConfigurationErrorNamingBothUrls()
    {
        var source = Generic(LocalOktaOrg.IssuerFor(fixture.Issuer.HttpUri, "ausMissing"), fixture.AddClient());

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("ausMissing/.well-known/oauth-authorization-server", e.Message, StringComparison.Ordinal);
        Assert.Contains("ausMissing/.well-known/openid-configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_IssuerMismatch_ConfigurationErrorAskingForExactIssuer()
    {
        // The generic OIDC document always names the 127.0.0.1 issuer; asked through "localhost" it does not match.
        var issuer = new UriBuilder(fixture.Issuer.Issuer) { Host = "localhost" }.Uri;
        var source = Generic(issuer, fixture.AddClient());

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("exact 'issuer'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_DiscoveryServerError_TransientAndRetriedNextCall()
    {
        var client = fixture.AddClient();
        var source = Generic(fixture.CustomIssuer, client);
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaDiscovery, IssuerFault.ServerError(502), 1);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.True(e.IsTransient);
        Assert.Equal(client.ClientId, token.Subject);
    }

    private ClientCredentialsTokenSource Generic(Uri issuer, LocalOktaClient client)
    {
        var options = new ClientCredentialsTokenSourceOptions { Issuer = issuer, ClientId = client.ClientId, ClientSecret = client.ClientSecret };
        options.Scopes.Add("crdb.login");
        return new ClientCredentialsTokenSource(options, fixture.Http, fixture.Time);
    }
}
