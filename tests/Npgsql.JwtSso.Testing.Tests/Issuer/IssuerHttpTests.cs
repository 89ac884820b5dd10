using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class IssuerHttpTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    private readonly LocalJwtIssuer _issuer = fixture.Reset();

    [Fact]
    public async Task Discovery_HttpAndHttps_NameIssuerJwksAndTokenEndpoint()
    {
        using var handler = _issuer.CreateHttpClientHandler();
        using var client = new HttpClient(handler);

        foreach (var baseUri in new[] { _issuer.HttpUri, _issuer.HttpsUri })
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri(baseUri, ".well-known/openid-configuration")));
            Assert.Equal(_issuer.Issuer, doc.RootElement.GetProperty("issuer").GetString());
            Assert.Equal(new Uri(baseUri, ".well-known/jwks.json").ToString(), doc.RootElement.GetProperty("jwks_uri").GetString());
            Assert.Equal(new Uri(baseUri, "token").ToString(), doc.RootElement.GetProperty("token_endpoint").GetString());
        }

        Assert.Equal(2, _issuer.RequestCount(IssuerEndpointNames.Discovery));
    }

    [Theory]
    [InlineData(".well-known/jwks.json")]
    [InlineData("jwks")]
    public async Task Jwks_BothPaths_ServeBothPublicKeysWithoutPrivateParts(string path)
    {
        using var client = new HttpClient();

        var json = await client.GetStringAsync(new Uri(_issuer.HttpUri, path));

        Assert.Equal(_issuer.JwksJson, json);
        var set = new JsonWebKeySet(json);
        Assert.Equal([LocalJwtIssuer.RsaKeyId, LocalJwtIssuer.EcKeyId], set.Keys.Select(k => k.Kid));
        Assert.Equal(["RSA", "EC"], set.Keys.Select(k => k.Kty));
        Assert.All(set.Keys, k => Assert.False(k.HasPrivateKey));
        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);
        Assert.Equal(1, _issuer.RequestCount(IssuerEndpointNames.Jwks));
    }

    [Fact]
    public async Task Https_ClientTrustingCertificate_Succeeds()
    {
        using var handler = _issuer.CreateHttpClientHandler();
        using var client = new HttpClient(handler);

        using var response = await client.GetAsync(new Uri(_issuer.HttpsUri, "jwks"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Https_DefaultClient_RejectsSelfSignedCertificate()
    {
        using var client = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(_issuer.HttpsUri, "jwks")));
        Assert.Equal(0, _issuer.RequestCount(IssuerEndpointNames.Jwks));
    }

    [Fact]
    public void Certificate_Properties_LoopbackServerCertWithPrivateKey()
    {
        var cert = _issuer.Certificate;

        Assert.True(cert.HasPrivateKey);
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Contains("localhost", san.EnumerateDnsNames());
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
    }

    [Fact]
    public void CertificatePem_Parsed_SameCertificateWithoutPrivateKey()
    {
        using var parsed = X509Certificate2.CreateFromPem(_issuer.CertificatePem);

        Assert.Equal(_issuer.Certificate.Thumbprint, parsed.Thumbprint);
        Assert.DoesNotContain("PRIVATE KEY", _issuer.CertificatePem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_FormFields_PickSubjectAndAudience()
    {
        using var client = new HttpClient();
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["audience"] = "crdb", ["subject"] = "alice" });

        using var response = await client.PostAsync(new Uri(_issuer.HttpUri, "token"), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = JwtToken.Parse(doc.RootElement.GetProperty("access_token").GetString()!);
        Assert.Equal("alice", token.Subject);
        Assert.Equal(["crdb"], token.Audiences);
        Assert.Equal("Bearer", doc.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3600, doc.RootElement.GetProperty("expires_in").GetInt64());
    }

    [Fact]
    public async Task TokenEndpoint_FakeClock_ExpiresInMatchesTokenExp()
    {
        fixture.Time.Advance(TimeSpan.FromMinutes(3));
        using var client = new HttpClient();

        using var response = await client.PostAsync(new Uri(_issuer.HttpUri, "token"), new FormUrlEncodedContent([]));

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = JwtToken.Parse(doc.RootElement.GetProperty("access_token").GetString()!);
        var now = fixture.Time.GetUtcNow();
        Assert.Equal(now, token.IssuedAt);
        Assert.Equal(now.AddSeconds(doc.RootElement.GetProperty("expires_in").GetInt64()), token.ExpiresOn);
        Assert.Equal(now, _issuer.GetRequests().Single().ReceivedAt);
    }

    [Fact]
    public async Task GetRequests_FormPost_RecordsNamesButNeverValues()
    {
        const string Secret = "s3cr3t-client-secret-value";
        using var client = new HttpClient();
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_secret"] = Secret, ["grant_type"] = "client_credentials" });

        using var response = await client.PostAsync(new Uri(_issuer.HttpUri, "token?audience=x"), body);

        var request = _issuer.GetRequests().Single();
        Assert.Equal(IssuerEndpointNames.Token, request.Endpoint);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/token", request.Path);
        Assert.Equal(["client_secret", "grant_type"], request.FormKeys.Order());
        Assert.Equal(["audience"], request.QueryKeys);
        Assert.Null(request.Fault);
        Assert.DoesNotContain(Secret, request.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetRequests_AfterRequests_CountsAndLogEmpty()
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(_issuer.HttpUri, "jwks"));
        Assert.Equal(1, _issuer.RequestCount(IssuerEndpointNames.Jwks));

        _issuer.ResetRequests();

        Assert.Equal(0, _issuer.RequestCount(IssuerEndpointNames.Jwks));
        Assert.Empty(_issuer.GetRequests());
    }

    [Fact]
    public async Task UnknownPath_NotFoundAndNotCounted()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(_issuer.HttpUri, "nope"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_issuer.GetRequests());
    }
}
