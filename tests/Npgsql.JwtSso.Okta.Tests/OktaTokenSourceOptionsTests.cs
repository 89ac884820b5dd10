using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Okta.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.Okta.Tests;

public sealed class OktaTokenSourceOptionsTests
{
    [Fact]
    public void Ctor_DomainAndServerId_BuildsCustomServerUrls()
    {
        var source = new OktaTokenSource(Valid(o => { o.Domain = "dev-123456.okta.com"; o.AuthorizationServerId = "default"; }));

        Assert.Equal("https://dev-123456.okta.com/oauth2/default", source.Issuer.AbsoluteUri);
        Assert.Equal("https://dev-123456.okta.com/oauth2/default/v1/token", source.TokenEndpoint!.AbsoluteUri);
        Assert.Equal("okta", source.Name);
    }

    [Fact]
    public void Ctor_IssuerWithTrailingSlash_Accepted()
    {
        var source = new OktaTokenSource(Valid(o => o.Issuer = new Uri("https://login.example.com/oauth2/aus1a2b3c4/")));

        Assert.Equal("https://login.example.com/oauth2/aus1a2b3c4/v1/token", source.TokenEndpoint!.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://dev-1.okta.com")]
    [InlineData("https://dev-1.okta.com/oauth2")]
    [InlineData("https://dev-1.okta.com/oauth2/v1/token")]
    [InlineData("https://dev-1.okta.com/oauth2/v1")]
    public void Ctor_OrgAuthorizationServerIssuer_RefusedWithHint(string issuer)
    {
        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(Valid(o => o.Issuer = new Uri(issuer))));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("org authorization server", e.Message, StringComparison.Ordinal);
        Assert.Contains("custom authorization server", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_DomainWithoutServerId_RefusedAsOrgServer()
    {
        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(Valid(o => o.Domain = "dev-1.okta.com")));

        Assert.Contains("AuthorizationServerId is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("org authorization server", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ServerIdV1_RefusedAsOrgServer()
    {
        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(Valid(o => { o.Domain = "dev-1.okta.com"; o.AuthorizationServerId = "v1"; })));

        Assert.Contains("AuthorizationServerId 'v1'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_NoScopes_SaysCustomScopeNeeded()
    {
        var options = Valid(o => o.Issuer = new Uri(TestTokens.CustomIssuer));
        options.Scopes.Clear();

        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(options));

        Assert.Contains("at least one custom scope", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openid")]
    [InlineData("okta.users.read")]
    public void Ctor_NonCustomScope_Refused(string scope)
    {
        var options = Valid(o => o.Issuer = new Uri(TestTokens.CustomIssuer));
        options.Scopes.Add(scope);

        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(options));

        Assert.Contains($"Scopes holds '{scope}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_EverythingMissing_ListsAllProblems()
    {
        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(new OktaTokenSourceOptions()));

        Assert.Contains("Domain is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("AuthorizationServerId is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("Scopes is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId is required", e.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Issuer or TokenEndpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_IssuerAndDomainTogether_Refused()
    {
        var e = Assert.Throws<JwtSsoException>(() => new OktaTokenSource(Valid(o => { o.Issuer = new Uri(TestTokens.CustomIssuer); o.Domain = "x.okta.com"; })));

        Assert.Contains("alternatives", e.Message, StringComparison.Ordinal);
    }

    internal static OktaTokenSourceOptions Valid(Action<OktaTokenSourceOptions> configure)
    {
        var options = new OktaTokenSourceOptions { ClientId = TestTokens.ClientId, ClientSecret = TestTokens.Secret };
        options.Scopes.Add("crdb.login");
        configure(options);
        return options;
    }
}
