using Npgsql.JwtSso.OAuth.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests;

/// <summary>The generic source against the emulated Okta org (a real OAuth server to it), without the Okta preset.</summary>
public sealed class FakeOktaOrgTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    [Fact]
    public async Task GetTokenAsync_GenericSourceWithoutScope_SaysScopeIsNeeded()
    {
        var client = fixture.AddClient();
        var source = new ClientCredentialsTokenSource(
            new ClientCredentialsTokenSourceOptions { TokenEndpoint = new Uri(fixture.CustomIssuer + "/v1/token"), ClientId = client.ClientId, ClientSecret = client.ClientSecret },
            fixture.Http,
            fixture.Time);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("No scope was requested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_GenericSourceAtOrgServer_SaysUseCustomServer()
    {
        var client = fixture.AddClient();
        var options = new ClientCredentialsTokenSourceOptions { TokenEndpoint = new Uri(fixture.Issuer.HttpUri, "/oauth2/v1/token"), ClientId = client.ClientId, ClientSecret = client.ClientSecret };
        options.Scopes.Add("crdb.login");

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => new ClientCredentialsTokenSource(options, fixture.Http, fixture.Time).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("org authorization server", e.Message, StringComparison.Ordinal);
        Assert.Contains("custom authorization server", e.Message, StringComparison.Ordinal);
    }
}
