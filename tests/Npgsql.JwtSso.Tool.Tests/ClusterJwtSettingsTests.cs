namespace Npgsql.JwtSso.Tool.Tests;

/// <summary>
/// The tool's holder of known cluster settings. The string-or-JSON reading itself is core's (tests in
/// Npgsql.JwtSso.Tests/Cockroach/CockroachSettingsTests); here: names, and that a value the cluster refuses is a tool error.
/// </summary>
public sealed class ClusterJwtSettingsTests
{
    [Fact]
    public void IssuersSetting_ShortName_ReadsTheMapForm()
    {
        var settings = new ClusterJwtSettings();
        settings.Set("issuers", "{\"issuer_jwks_map\":{\"https://a\":\"https://a/keys\"}}");

        Assert.Equal(["https://a"], settings.Issuers);
        Assert.Equal("https://a/keys", settings.IssuersSetting!.GetJwksUrl("https://a"));
    }

    [Fact]
    public void Audiences_JsonThatIsNotAStringArray_IsAToolErrorQuotingTheCluster()
    {
        var settings = new ClusterJwtSettings();
        settings.Set("audience", "\"abc\"");

        var e = Assert.Throws<ToolException>(() => settings.Audiences);
        Assert.Contains("(the cluster says 'JWT authentication audiences JSON not valid')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issuers_JsonOfAnotherShape_IsAToolErrorQuotingTheCluster()
    {
        var settings = new ClusterJwtSettings();
        settings.Set("issuers", "{\"issuers\":[\"https://a\"]}");

        var e = Assert.Throws<ToolException>(() => settings.Issuers);
        Assert.Contains("(the cluster says 'JWT authentication: issuers JSON not valid')", e.Message, StringComparison.Ordinal);
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
