using System.Net;
using System.Text.Json;
using Npgsql.JwtSso.Testing.Tests.Issuer;

namespace Npgsql.JwtSso.Testing.Tests.Vendors;

/// <summary>The Entra-shaped endpoints at the HTTP level (the real Azure.Identity path is tested in Npgsql.JwtSso.Azure.Tests).</summary>
public sealed class AzureEndpointTests : IClassFixture<IssuerFixture>
{
    private const string ClusterAppId = "c1a5e7e0-0000-4000-8000-0000000000f1";
    private const string ClientId = "a1a1a1a1-0000-4000-8000-0000000000f1";
    private const string ObjectId = "8e8e8e8e-0000-4000-8000-0000000000f1";
    private readonly LocalJwtIssuer _issuer;

    public AzureEndpointTests(IssuerFixture fixture)
    {
        _issuer = fixture.Reset();
        _issuer.Entra.TokenVersion = 1;
        _issuer.Entra.RefreshIn = null;
        _issuer.Entra.AddResource("api://crdb-http", ClusterAppId);
        _issuer.Entra.AddClientSecret(ClientId, "secret", ObjectId);
        _issuer.Entra.AddManagedIdentity(null, ObjectId);
    }

    [Fact]
    public async Task EntraToken_ClientSecret_V1TokenResponseShape()
    {
        using var response = await PostTokenAsync("api://crdb-http/.default");
        var body = await JsonAsync(response);
        var token = JwtToken.Parse(body.GetProperty("access_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt64());
        Assert.Equal(3600, body.GetProperty("ext_expires_in").GetInt64());
        Assert.False(body.TryGetProperty("refresh_in", out _));
        Assert.Equal(["api://crdb-http"], token.Audiences);
        Assert.Equal(_issuer.Entra.V1Issuer, token.Issuer);
        Assert.Equal(ObjectId, token.Subject);
        Assert.Equal(LocalJwtIssuer.RsaKeyId, token.KeyId);
    }

    [Fact]
    public async Task EntraToken_V2WithRefreshIn_AudienceIsAppClientId()
    {
        _issuer.Entra.TokenVersion = 2;
        _issuer.Entra.RefreshIn = TimeSpan.FromMinutes(30);

        using var response = await PostTokenAsync("api://crdb-http/.default");
        var body = await JsonAsync(response);
        var token = JwtToken.Parse(body.GetProperty("access_token").GetString()!);

        Assert.Equal(1800, body.GetProperty("refresh_in").GetInt64());
        Assert.Equal([ClusterAppId], token.Audiences);
        Assert.Equal(_issuer.Entra.V2Issuer, token.Issuer);
    }

    [Theory]
    [InlineData("api://crdb-http/user_impersonation", 400, "invalid_scope", 1002012)]
    [InlineData("api://unknown/.default", 400, "invalid_resource", 500011)]
    public async Task EntraToken_BadScope_EntraErrorShape(string scope, int status, string error, int code)
    {
        using var response = await PostTokenAsync(scope);
        var body = await JsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.StartsWith($"AADSTS{code}: ", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, Assert.Single(body.GetProperty("error_codes").EnumerateArray()).GetInt32());
        Assert.True(body.TryGetProperty("trace_id", out _));
        Assert.True(body.TryGetProperty("correlation_id", out _));
    }

    [Fact]
    public async Task EntraToken_WrongSecret_InvalidClient401()
    {
        using var response = await PostTokenAsync("api://crdb-http/.default", secret: "wrong");
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Equal(7000215, body.GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task Imds_WithoutMetadataHeader_Refused()
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(_issuer.HttpUri, "metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://crdb-http"));
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Required metadata header not specified", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Imds_WithHeader_StringTimesLikeImds()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_issuer.HttpUri, "metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://crdb-http"));
        request.Headers.Add("Metadata", "true");
        using var response = await client.SendAsync(request);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.String, body.GetProperty("expires_in").ValueKind);
        Assert.Equal(JsonValueKind.String, body.GetProperty("expires_on").ValueKind);
        Assert.Equal("api://crdb-http", body.GetProperty("resource").GetString());
        Assert.Equal(ObjectId, JwtToken.Parse(body.GetProperty("access_token").GetString()!).Subject);
    }

    [Fact]
    public async Task AppService_WrongIdentityHeader_Unauthorized()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_issuer.HttpUri, "msi/token?api-version=2019-08-01&resource=api://crdb-http"));
        request.Headers.Add("X-IDENTITY-HEADER", "not-the-header");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, _issuer.RequestCount(IssuerEndpointNames.AzureAppServiceIdentity));
    }

    private async Task<HttpResponseMessage> PostTokenAsync(string scope, string secret = "secret")
    {
        using var client = new HttpClient(_issuer.CreateHttpClientHandler());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
            ["grant_type"] = "client_credentials",
        });
        return await client.PostAsync(new Uri(_issuer.HttpsUri, $"{_issuer.Entra.TenantId}/oauth2/v2.0/token"), form);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
