using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Okta.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Okta.Tests;

/// <summary>The real source against the emulated Okta org: every client-authentication method and each refusal.</summary>
public sealed class OktaTokenSourceTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    [Fact]
    public async Task GetTokenAsync_ClientSecretBasic_ReturnsOktaShapedAccessToken()
    {
        var client = fixture.AddClient();

        var token = await fixture.Source(client).GetTokenAsync(CancellationToken.None);

        Assert.Equal(fixture.CustomIssuer.AbsoluteUri, token.Issuer);
        Assert.Equal(client.ClientId, token.Subject);
        Assert.Equal(["api://default"], token.Audiences);
        Assert.True(token.TryGetClaim("cid", out var cid) && cid.GetString() == client.ClientId);
        Assert.True(token.TryGetClaim("scp", out var scp) && scp.ValueKind == JsonValueKind.Array && scp[0].GetString() == "crdb.login");
        Assert.True(token.TryGetClaim("jti", out _));
        Assert.Equal(TimeSpan.FromHours(1), token.ExpiresOn - token.IssuedAt);
        Assert.Equal(fixture.Time.GetUtcNow().ToUnixTimeSeconds(), token.IssuedAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task GetTokenAsync_ClientSecretPost_Succeeds()
    {
        var client = fixture.AddClient(c => c.AuthenticationMethod = "client_secret_post");

        var token = await fixture.Source(client, o => o.AuthenticationMethod = ClientAuthenticationMethod.ClientSecretPost).GetTokenAsync(CancellationToken.None);

        Assert.Equal(client.ClientId, token.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtRsaPem_VerifiedByServerTwice()
    {
        using var rsa = RSA.Create(2048);
        var client = fixture.AddClient(c => { c.AuthenticationMethod = "private_key_jwt"; c.ClientSecret = null; c.PublicKey = new RsaSecurityKey(rsa.ExportParameters(false)); });
        var source = fixture.Source(client, o => { o.ClientSecret = null; o.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt; o.PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(); });

        var first = await source.GetTokenAsync(CancellationToken.None);
        var second = await source.GetTokenAsync(CancellationToken.None); // a reused jti would be refused

        Assert.Equal(client.ClientId, first.Subject);
        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtEcJwk_VerifiedByServer()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(true);
        var jwk = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = "ec-client",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y), ["d"] = Base64UrlEncoder.Encode(p.D),
        });
        var client = fixture.AddClient(c => { c.AuthenticationMethod = "private_key_jwt"; c.PublicKey = new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false))); });
        var source = fixture.Source(client, o => { o.ClientSecret = null; o.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt; o.PrivateKeyJwk = jwk; });

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(client.ClientId, token.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtCertificate_VerifiedByServer()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=okta-client", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(fixture.Time.GetUtcNow().AddDays(-1), fixture.Time.GetUtcNow().AddDays(30));
        var client = fixture.AddClient(c => { c.AuthenticationMethod = "private_key_jwt"; c.PublicKey = new RsaSecurityKey(rsa.ExportParameters(false)); });
        var source = fixture.Source(client, o => { o.ClientSecret = null; o.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt; o.UseCertificate(cert); });

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(client.ClientId, token.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtWrongKey_InvalidClientNamingKey()
    {
        using var registered = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var client = fixture.AddClient(c => { c.AuthenticationMethod = "private_key_jwt"; c.PublicKey = new RsaSecurityKey(registered.ExportParameters(false)); });
        var source = fixture.Source(client, o => { o.ClientSecret = null; o.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt; o.PrivateKeyPem = other.ExportPkcs8PrivateKeyPem(); o.PrivateKeyId = "k-7"; });

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Contains("'invalid_client'", e.Message, StringComparison.Ordinal);
        Assert.Contains("signature is invalid", e.Message, StringComparison.Ordinal);
        Assert.Contains("kid 'k-7'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_WrongSecret_InvalidClientWithoutSecretInMessage()
    {
        var client = fixture.AddClient();
        var source = fixture.Source(client, o => o.ClientSecret = "wrong-secret-value");

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("HTTP 401", e.Message, StringComparison.Ordinal);
        Assert.Contains($"ClientId '{client.ClientId}'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(client.ClientSecret!, e.Message, StringComparison.Ordinal);
        Assert.Equal("okta", e.SourceName);
    }

    [Fact]
    public async Task GetTokenAsync_MethodDiffersFromApp_InvalidClientSaysWhichMethod()
    {
        using var rsa = RSA.Create(2048);
        var client = fixture.AddClient(c => { c.AuthenticationMethod = "private_key_jwt"; c.PublicKey = new RsaSecurityKey(rsa.ExportParameters(false)); });

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("configured for 'private_key_jwt'", e.Message, StringComparison.Ordinal);
        Assert.Contains("client_secret_basic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ScopeNotOnServer_InvalidScopeWithOktaHint()
    {
        var client = fixture.AddClient();
        var source = fixture.Source(client, o => { o.Scopes.Clear(); o.Scopes.Add("crdb.admin"); });

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("'invalid_scope'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization Servers > Scopes", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_GrantNotAllowed_UnauthorizedClientHint()
    {
        var client = fixture.AddClient(c => { c.GrantTypes.Clear(); c.GrantTypes.Add("authorization_code"); });

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("'unauthorized_client'", e.Message, StringComparison.Ordinal);
        Assert.Contains("API Services app", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NoAccessPolicy_AccessDeniedHint()
    {
        var client = fixture.AddClient(c => c.HasAccessPolicy = false);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("'access_denied'", e.Message, StringComparison.Ordinal);
        Assert.Contains("access policy", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_AppRequiresDpop_SaysDpopCannotBeAPassword()
    {
        var client = fixture.AddClient(c => c.RequireDpop = true);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("'invalid_dpop_proof'", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be used as a database password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_OpaqueToken_InvalidTokenSaysClusterCannotVerify()
    {
        var client = fixture.AddClient();
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.NonJwtToken(), 1);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, e.Kind);
        Assert.Contains("opaque (non-JWT)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ServerError_Transient()
    {
        var client = fixture.AddClient();
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.ServerError(503), 1);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains("HTTP 503", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ConnectionReset_TransientWithInnerException()
    {
        var client = fixture.AddClient();
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.ConnectionReset(), 1);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(e.IsTransient);
        Assert.NotNull(e.InnerException);
        Assert.Contains("Could not reach the token endpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_RetryAfterHeader_FedToRetryAfter()
    {
        var client = fixture.AddClient();
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.TooManyRequests(TimeSpan.FromSeconds(7)), 1);

        var e = await Assert.ThrowsAsync<JwtSsoException>(() => fixture.Source(client).GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Contains("HTTP 429", e.Message, StringComparison.Ordinal);
        Assert.Contains("share one rate-limit bucket", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ServerHangsAndCallerCancels_ThrowsOperationCanceled()
    {
        var client = fixture.AddClient();
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.Hang(), 1);
        using var cts = new CancellationTokenSource();
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Source(client).GetTokenAsync(cts.Token).AsTask());
    }

    [Fact]
    public async Task GetTokenAsync_Token_NeverInToStringOrExceptionMessages()
    {
        var client = fixture.AddClient();
        var token = await fixture.Source(client).GetTokenAsync(CancellationToken.None);

        Assert.DoesNotContain(token.Value, token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Value.Split('.')[1], token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_ThroughHandler_TokenVerifiesAgainstServersKeysEndpoint()
    {
        var client = fixture.AddClient();
        var options = new OktaTokenSourceOptions { Issuer = fixture.CustomIssuer, ClientId = client.ClientId, ClientSecret = client.ClientSecret };
        options.Scopes.Add("crdb.login");
        using var handler = fixture.Issuer.CreateHttpClientHandler();
        var token = await new OktaTokenSource(options, handler, fixture.Time).GetTokenAsync(CancellationToken.None);

        var jwks = new JsonWebKeySet(await fixture.Http.GetStringAsync(fixture.CustomIssuer + "/v1/keys"));
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(token.Value, new TokenValidationParameters
        {
            ValidIssuer = fixture.CustomIssuer.AbsoluteUri,
            ValidAudience = "api://default",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidateLifetime = false,
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(client.ClientId, token.Subject);
    }
}
