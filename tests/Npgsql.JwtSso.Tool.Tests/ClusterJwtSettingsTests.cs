namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>The runtime reading of the string-or-JSON settings (crdb-jwt-server.md §2).</summary>
public sealed class ClusterJwtSettingsTests
{
    [Theory]
    [InlineData("https://a", new[] { "https://a" })]
    [InlineData("[\"https://a\",\"https://b\"]", new[] { "https://a", "https://b" })]
    [InlineData("{\"issuer_jwks_map\":{\"https://a\":\"https://a/keys\"}}", new[] { "https://a" })]
    [InlineData("", new[] { "" })]
    public void Issuers_EachForm_GivesTheAcceptedList(string raw, string[] expected)
    {
        var settings = new ClusterJwtSettings();
        settings.Set("issuers", raw);

        Assert.Equal(expected, settings.Issuers);
    }

    [Fact]
    public void IssuerJwksMap_MapForm_GivesTheJwksUrl()
    {
        var settings = new ClusterJwtSettings();
        settings.Set(ClusterJwtSettings.IssuersName, "{\"issuer_jwks_map\":{\"https://a\":\"https://a/keys\"}}");

        Assert.Equal("https://a/keys", settings.IssuerJwksMap!["https://a"]);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("123")]
    [InlineData("[1,2]")]
    public void Audiences_JsonThatIsNotAStringArray_IsRejectedLikeTheCluster(string raw)
    {
        var settings = new ClusterJwtSettings();
        settings.Set("audience", raw);

        var e = Assert.Throws<ToolException>(() => settings.Audiences);
        Assert.Contains("audiences JSON not valid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_Empty_MeansSub()
    {
        var settings = new ClusterJwtSettings();
        settings.Set("server.jwt_authentication.claim", string.Empty);

        Assert.Equal("sub", settings.Claim);
    }

    [Fact]
    public void Set_UnknownName_NamesTheValidOnes()
    {
        var e = Assert.Throws<ToolException>(() => new ClusterJwtSettings().Set("server.jwt_authentication.audiences", "x"));

        Assert.Contains(ClusterJwtSettings.AudienceName, e.Message, StringComparison.Ordinal);
    }
}
