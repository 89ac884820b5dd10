using System.Net;
using System.Text.Json;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class IssuerHttpTests
{
    [Fact]
    public async Task StartAsync_Default_ServesDiscoveryOverHttpAndHttps()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        using var handler = issuer.CreateHttpClientHandler();
        using var client = new HttpClient(handler);

        foreach (var baseUri in new[] { issuer.HttpUri, issuer.HttpsUri })
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri(baseUri, ".well-known/openid-configuration")));
            Assert.Equal(issuer.Issuer, doc.RootElement.GetProperty("issuer").GetString());
            Assert.Equal(new Uri(baseUri, ".well-known/jwks.json").ToString(), doc.RootElement.GetProperty("jwks_uri").GetString());
            Assert.Equal(new Uri(baseUri, "token").ToString(), doc.RootElement.GetProperty("token_endpoint").GetString());
        }

        Assert.Equal(2, issuer.RequestCount(IssuerEndpointNames.Discovery));
    }

    [Fact]
    public async Task TokenEndpoint_Post_ReturnsJwtWithExpiresIn()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        using var client = new HttpClient();
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["audience"] = "crdb", ["subject"] = "alice" });

        using var response = await client.PostAsync(new Uri(issuer.HttpUri, "token"), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = JwtToken.Parse(doc.RootElement.GetProperty("access_token").GetString()!);
        Assert.Equal("alice", token.Subject);
        Assert.Equal(["crdb"], token.Audiences);
        Assert.Equal(3600, doc.RootElement.GetProperty("expires_in").GetInt64());
        Assert.Equal(["audience", "subject"], issuer.GetRequests().Single().FormKeys.Order());
    }
}
