using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests;

public sealed class ClientAuthenticationTests
{
    private static readonly string Endpoint = TestTokens.Base + TestTokens.TokenPath;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly StubHttpHandler _handler = new();

    public ClientAuthenticationTests()
        => _handler.On(TestTokens.TokenPath, _ => StubHttpHandler.Json(HttpStatusCode.OK, TestTokens.TokenJson(TestTokens.Mint(_time.GetUtcNow()))));

    [Fact]
    public async Task GetTokenAsync_ClientSecretBasic_SendsRfc6749BasicHeaderAndNoSecretInBody()
    {
        var options = ClientCredentialsTokenSourceOptionsTests.Valid();
        options.ClientSecret = "p@ss word:+";
        options.Scopes.Add("crdb.login");

        var token = await new ClientCredentialsTokenSource(options, _handler, _time).GetTokenAsync(CancellationToken.None);

        var request = Assert.Single(_handler.Requests);
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestTokens.ClientId}:{Uri.EscapeDataString("p@ss word:+").Replace("%20", "+", StringComparison.Ordinal)}"));
        Assert.Equal($"Basic {expected}", request.Authorization);
        Assert.Equal("client_credentials", request.Form["grant_type"]);
        Assert.Equal("crdb.login", request.Form["scope"]);
        Assert.False(request.Form.ContainsKey("client_secret"));
        Assert.Equal(TestTokens.ClientId, token.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_ClientSecretPost_SendsIdAndSecretInBody()
    {
        var options = ClientCredentialsTokenSourceOptionsTests.Valid();
        options.AuthenticationMethod = ClientAuthenticationMethod.ClientSecretPost;

        await new ClientCredentialsTokenSource(options, _handler, _time).GetTokenAsync(CancellationToken.None);

        var request = Assert.Single(_handler.Requests);
        Assert.Null(request.Authorization);
        Assert.Equal(TestTokens.ClientId, request.Form["client_id"]);
        Assert.Equal(TestTokens.Secret, request.Form["client_secret"]);
        Assert.False(request.Form.ContainsKey("scope"));
    }

    [Fact]
    public async Task GetTokenAsync_AudienceResourcesAndExtras_AreSent()
    {
        var options = ClientCredentialsTokenSourceOptionsTests.Valid();
        options.Audience = "https://crdb.example/api";
        options.Resources.Add("https://crdb.example/");
        options.AdditionalParameters["organization"] = "org_1";
        options.Scopes.Add("a");
        options.Scopes.Add("b");

        await new ClientCredentialsTokenSource(options, _handler, _time).GetTokenAsync(CancellationToken.None);

        var form = Assert.Single(_handler.Requests).Form;
        Assert.Equal("https://crdb.example/api", form["audience"]);
        Assert.Equal("https://crdb.example/", form["resource"]);
        Assert.Equal("org_1", form["organization"]);
        Assert.Equal("a b", form["scope"]);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtRsaPem_SendsVerifiableAssertion()
    {
        using var rsa = RSA.Create(2048);
        var form = await SendWithKey(o => { o.PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(); o.PrivateKeyId = "key-1"; });

        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
        Assert.False(form.ContainsKey("client_secret"));
        var jwt = await AssertValidAssertion(form["client_assertion"], new RsaSecurityKey(rsa.ExportParameters(false)));
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("key-1", jwt.Kid);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtEcPem_SignsWithEs256()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var form = await SendWithKey(o => o.PrivateKeyPem = ec.ExportECPrivateKeyPem());

        var jwt = await AssertValidAssertion(form["client_assertion"], new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(false))));
        Assert.Equal("ES256", jwt.Alg);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtJwk_UsesJwkKid()
    {
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "jwk-kid" });
        var form = await SendWithKey(o => o.PrivateKeyJwk = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E, ["d"] = jwk.D, ["p"] = jwk.P, ["q"] = jwk.Q, ["dp"] = jwk.DP, ["dq"] = jwk.DQ, ["qi"] = jwk.QI,
        }));

        var jwt = await AssertValidAssertion(form["client_assertion"], new RsaSecurityKey(rsa.ExportParameters(false)));
        Assert.Equal("jwk-kid", jwt.Kid);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtCertificate_CarriesThumbprint()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=client", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(_time.GetUtcNow().AddDays(-1), _time.GetUtcNow().AddDays(30));
        var form = await SendWithKey(o => o.UseCertificate(cert));

        var jwt = await AssertValidAssertion(form["client_assertion"], new X509SecurityKey(cert));
        Assert.True(jwt.TryGetHeaderValue<string>("x5t", out var x5t) && x5t.Length > 0);
    }

    [Fact]
    public async Task GetTokenAsync_PrivateKeyJwtTwice_FreshJtiAndTimesFromClock()
    {
        using var rsa = RSA.Create(2048);
        var options = KeyOptions(o => o.PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem());
        var source = new ClientCredentialsTokenSource(options, _handler, _time);

        await source.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(30));
        await source.GetTokenAsync(CancellationToken.None);

        var first = new JsonWebToken(_handler.Requests[0].Form["client_assertion"]);
        var second = new JsonWebToken(_handler.Requests[1].Form["client_assertion"]);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(TimeSpan.FromMinutes(30), second.IssuedAt - first.IssuedAt);
    }

    private ClientCredentialsTokenSourceOptions KeyOptions(Action<ClientCredentialsTokenSourceOptions> key)
    {
        var options = ClientCredentialsTokenSourceOptionsTests.Valid();
        options.ClientSecret = null;
        options.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt;
        key(options);
        return options;
    }

    private async Task<Dictionary<string, string>> SendWithKey(Action<ClientCredentialsTokenSourceOptions> key)
    {
        await new ClientCredentialsTokenSource(KeyOptions(key), _handler, _time).GetTokenAsync(CancellationToken.None);
        return Assert.Single(_handler.Requests).Form;
    }

    private async Task<JsonWebToken> AssertValidAssertion(string assertion, SecurityKey publicKey)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = TestTokens.ClientId,
            ValidAudience = Endpoint,
            IssuerSigningKey = publicKey,
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(TestTokens.ClientId, jwt.Subject);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, jwt.IssuedAt);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddMinutes(5), jwt.ValidTo);
        return jwt;
    }
}
