using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Okta.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Okta.Tests;

/// <summary>The emulated Okta token endpoint really verifies private_key_jwt assertions (hand-made assertions, raw HTTP).</summary>
public sealed class FakeOktaAssertionTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>, IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task Token_ValidAssertion_Issued()
    {
        var client = Register();

        var (status, body) = await PostAsync(client.ClientId, Assertion(client.ClientId));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task Token_ReplayedJti_InvalidClient()
    {
        var client = Register();
        var assertion = Assertion(client.ClientId);
        await PostAsync(client.ClientId, assertion);

        var (status, body) = await PostAsync(client.ClientId, assertion);

        AssertInvalidClient(status, body, "already been used");
    }

    [Fact]
    public async Task Token_AudienceNotTokenEndpoint_InvalidClient()
    {
        var client = Register();

        var (status, body) = await PostAsync(client.ClientId, Assertion(client.ClientId, audience: fixture.CustomIssuer.AbsoluteUri));

        AssertInvalidClient(status, body, "audience");
    }

    [Fact]
    public async Task Token_ExpiredAssertion_InvalidClient()
    {
        var client = Register();

        var (status, body) = await PostAsync(client.ClientId, Assertion(client.ClientId, issuedAt: fixture.Time.GetUtcNow().AddMinutes(-10)));

        AssertInvalidClient(status, body, "expired");
    }

    [Fact]
    public async Task Token_AssertionWithoutJti_InvalidClient()
    {
        var client = Register();

        var (status, body) = await PostAsync(client.ClientId, Assertion(client.ClientId, jti: null));

        AssertInvalidClient(status, body, "'jti'");
    }

    [Fact]
    public async Task Token_SubjectNotClientId_InvalidClient()
    {
        var client = Register();

        var (status, body) = await PostAsync(client.ClientId, Assertion(client.ClientId, subject: "someone-else"));

        AssertInvalidClient(status, body, "'sub'");
    }

    [Fact]
    public async Task Token_SignedByOtherKey_InvalidClient()
    {
        var client = Register();
        using var other = RSA.Create(2048);

        var (status, body) = await PostAsync(client.ClientId, Assertion(client.ClientId, key: other));

        AssertInvalidClient(status, body, "signature");
    }

    [Fact]
    public async Task GetTokenAsync_SourceWithWrongAssertionAudience_ExplainsInvalidClient()
    {
        var client = Register();
        var options = new ClientCredentialsTokenSourceOptions
        {
            TokenEndpoint = new Uri(fixture.CustomIssuer + "/v1/token"),
            ClientId = client.ClientId,
            AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt,
            PrivateKeyPem = _key.ExportPkcs8PrivateKeyPem(),
            AssertionAudience = "https://elsewhere.example/token",
        };
        options.Scopes.Add("crdb.login");

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => new ClientCredentialsTokenSource(options, fixture.Http, fixture.Time).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("'invalid_client'", e.Message, StringComparison.Ordinal);
        Assert.Contains("audience of the client_assertion is invalid", e.Message, StringComparison.Ordinal);
    }

    private LocalOktaClient Register() => fixture.AddClient(c =>
    {
        c.ClientSecret = null;
        c.AuthenticationMethod = "private_key_jwt";
        c.PublicKey = new RsaSecurityKey(_key.ExportParameters(false));
    });

    private string Assertion(string clientId, string? audience = null, DateTimeOffset? issuedAt = null, string? jti = "use-new", string? subject = null, RSA? key = null)
    {
        var iat = issuedAt ?? fixture.Time.GetUtcNow();
        var claims = new Dictionary<string, object> { ["sub"] = subject ?? clientId };
        if (jti is not null)
        {
            claims["jti"] = Guid.NewGuid().ToString("N");
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience ?? fixture.CustomIssuer + "/v1/token",
            IssuedAt = iat.UtcDateTime,
            Expires = iat.AddMinutes(5).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _key), SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string clientId, string assertion)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "crdb.login",
            ["client_id"] = clientId,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        });
        using var response = await fixture.Http.PostAsync(fixture.CustomIssuer + "/v1/token", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static void AssertInvalidClient(HttpStatusCode status, JsonElement body, string descriptionPart)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains(descriptionPart, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }
}
