using System.Security.Cryptography;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests;

public sealed class ClientCredentialsTokenSourceOptionsTests
{
    [Fact]
    public void Ctor_EnsureDefaultValues()
    {
        var options = new ClientCredentialsTokenSourceOptions();

        Assert.Equal(ClientAuthenticationMethod.ClientSecretBasic, options.AuthenticationMethod);
        Assert.Equal(TimeSpan.FromMinutes(5), options.AssertionLifetime);
        Assert.Empty(options.Scopes);
        Assert.Empty(options.Resources);
        Assert.Empty(options.AdditionalParameters);
    }

    [Fact]
    public void Ctor_EmptyOptions_ListsEveryProblemAtOnce()
    {
        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(new ClientCredentialsTokenSourceOptions()));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("ClientId is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("Issuer or TokenEndpoint is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_PlainHttpOnRemoteHost_Refused()
    {
        var options = Valid();
        options.TokenEndpoint = new Uri("http://idp.example.com/token");

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("TokenEndpoint 'http://idp.example.com/token' uses plain http", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_KeyWithSecretMethod_TellsToSwitchMethod()
    {
        var options = Valid();
        options.PrivateKeyPem = RSA.Create(2048).ExportPkcs8PrivateKeyPem();

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("set AuthenticationMethod to PrivateKeyJwt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_UnreadablePem_NamesOptionWithoutQuotingIt()
    {
        var options = Valid();
        options.ClientSecret = null;
        options.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt;
        options.PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nTk9UQUtFWQ==\n-----END PRIVATE KEY-----";

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("PrivateKeyPem is not a readable", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Tk9UQUtFWQ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_PublicOnlyJwk_AsksForPrivateKey()
    {
        var options = Valid();
        options.ClientSecret = null;
        options.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt;
        options.PrivateKeyJwk = """{"kty":"RSA","n":"sXch","e":"AQAB","kid":"k1"}""";

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("holds only a public key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_AlgorithmNotFittingKey_Refused()
    {
        var options = Valid();
        options.ClientSecret = null;
        options.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt;
        options.PrivateKeyPem = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();
        options.SigningAlgorithm = "RS256";

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("SigningAlgorithm 'RS256' does not fit the EC key", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7200)]
    public void Ctor_AssertionLifetimeOutOfRange_Refused(int seconds)
    {
        var options = Valid();
        options.AssertionLifetime = TimeSpan.FromSeconds(seconds);

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("AssertionLifetime", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ReservedAdditionalParameterAndSpacedScope_BothReported()
    {
        var options = Valid();
        options.AdditionalParameters["client_secret"] = "x";
        options.Scopes.Add("a b");

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.Contains("AdditionalParameters cannot set 'client_secret'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Scopes holds 'a b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ValidationMessage_NeverContainsSecret()
    {
        var options = Valid();
        options.AuthenticationMethod = ClientAuthenticationMethod.PrivateKeyJwt;

        var e = Assert.Throws<JwtSsoException>(() => new ClientCredentialsTokenSource(options));

        Assert.DoesNotContain(TestTokens.Secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_IsHostOfServer()
    {
        Assert.Equal("oauth:127.0.0.1:5999", new ClientCredentialsTokenSource(Valid()).Name);
    }

    [Fact]
    public async Task Ctor_OptionsChangedAfterwards_SourceKeepsItsCopy()
    {
        var handler = new StubHttpHandler().OnJson(TestTokens.TokenPath, System.Net.HttpStatusCode.OK, TestTokens.TokenJson(TestTokens.Mint(DateTimeOffset.UnixEpoch)));
        var options = Valid();
        options.AuthenticationMethod = ClientAuthenticationMethod.ClientSecretPost;
        options.Scopes.Add("crdb.login");
        options.AdditionalParameters["organization"] = "org_1";
        var source = new ClientCredentialsTokenSource(options, handler, null);

        options.ClientId = "changed";
        options.Scopes.Add("crdb.admin");
        options.Resources.Add("https://other.example/");
        options.AdditionalParameters["organization"] = "org_2";
        options.TokenEndpoint = new Uri("https://elsewhere.example/token");
        await source.GetTokenAsync(CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(TestTokens.TokenPath, request.Path);
        Assert.Equal(TestTokens.ClientId, request.Form["client_id"]);
        Assert.Equal("crdb.login", request.Form["scope"]);
        Assert.Equal("org_1", request.Form["organization"]);
        Assert.False(request.Form.ContainsKey("resource"));
    }

    internal static ClientCredentialsTokenSourceOptions Valid() => new()
    {
        TokenEndpoint = new Uri(TestTokens.Base + TestTokens.TokenPath),
        ClientId = TestTokens.ClientId,
        ClientSecret = TestTokens.Secret,
    };
}
