using Xunit;
namespace Npgsql.JwtSso.Tests.Cockroach;

/// <summary>The string-or-JSON cluster settings, read at login and validated at SET time (crdb-jwt-server.md §2).</summary>
public sealed class CockroachSettingsTests
{
    [Theory]
    [InlineData("https://a", new[] { "https://a" })]
    [InlineData("[\"https://a\",\"https://b\"]", new[] { "https://a", "https://b" })]
    [InlineData("{\"issuer_jwks_map\":{\"https://a\":\"https://a/keys\"}}", new[] { "https://a" })]
    [InlineData("", new[] { "" })]
    public void Issuers_EachForm_GivesTheAcceptedList(string raw, string[] expected)
    {
        Assert.Equal(expected, CockroachIssuersSetting.Parse(raw).Issuers);
        Assert.True(CockroachIssuersSetting.IsValid(raw, out _));
    }

    [Fact]
    public void Issuers_MapForm_GivesTheJwksUrlAndSkipsDiscoveryForOthers()
    {
        var setting = CockroachIssuersSetting.Parse("{\"issuer_jwks_map\":{\"https://a\":\"https://a/keys\"}}");

        Assert.Equal("https://a/keys", setting.GetJwksUrl("https://a"));
        Assert.Null(setting.GetJwksUrl("https://b"));
        Assert.True(setting.Accepts("https://a"));
        Assert.False(setting.Accepts("https://a/"));
    }

    [Fact]
    public void Issuers_ListForm_HasNoJwksUrls()
    {
        var setting = CockroachIssuersSetting.Parse("[\"issuer1\",\"issuer2\"]");

        Assert.Null(setting.JwksUrls);
        Assert.Null(setting.GetJwksUrl("issuer1"));
        Assert.True(setting.Accepts("issuer2"));
    }

    [Theory]
    [InlineData("\"https://a\"")]
    [InlineData("123")]
    [InlineData("[1]")]
    [InlineData("{\"a\":\"b\"}")]
    [InlineData("{\"issuer_jwks_map\":{\"https://a\":\"https://a/keys\"},\"extra\":1}")]
    [InlineData("{\"issuer_jwks_map\":{\"https://a\":1}}")]
    public void Issuers_JsonOfAnotherShape_RefusedAtSetAndOneLiteralAtLogin(string raw)
    {
        Assert.False(CockroachIssuersSetting.IsValid(raw, out var error));
        Assert.Equal("JWT authentication: issuers JSON not valid", error);
        Assert.Equal([raw], CockroachIssuersSetting.Parse(raw).Issuers);
    }

    [Theory]
    [InlineData("test_cluster", new[] { "test_cluster" })]
    [InlineData("[\"audience_2\",\"test_cluster\"]", new[] { "audience_2", "test_cluster" })]
    [InlineData("", new[] { "" })]
    public void Audience_EachForm_GivesTheAcceptedList(string raw, string[] expected)
    {
        Assert.Equal(expected, CockroachAudienceSetting.Parse(raw));
        Assert.True(CockroachAudienceSetting.IsValid(raw, out _));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("123")]
    [InlineData("true")]
    [InlineData("[1,2]")]
    public void Audience_JsonThatIsNotAStringArray_IsRejectedLikeTheCluster(string raw)
    {
        Assert.False(CockroachAudienceSetting.IsValid(raw, out var error));
        Assert.Equal("JWT authentication audiences JSON not valid", error);
        Assert.Equal([raw], CockroachAudienceSetting.Parse(raw));
    }
}
