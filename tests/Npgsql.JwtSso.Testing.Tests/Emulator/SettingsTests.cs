namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary><see cref="CockroachJwtSettings.Set"/> applies SET CLUSTER SETTING validation (crdb-jwt-server §2).</summary>
public sealed class SettingsTests
{
    private readonly CockroachJwtSettings _settings = new();

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"keys":[{"kty":"RSA","kid":"k"}]}""")]
    [InlineData("[]")]
    public void Set_InvalidJwks_RejectedWithClusterMessage(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => _settings.Set("server.jwt_authentication.jwks", value));

        Assert.StartsWith("JWT authentication JWKS not a valid JWKS", ex.Message, StringComparison.Ordinal);
        Assert.Equal("""{"keys":[]}""", _settings.Jwks);
    }

    [Theory]
    [InlineData("""{"issuers":["a"]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"issuer_jwks_map":{"a":"b"},"extra":1}""")]
    [InlineData("\"quoted\"")]
    public void Set_IssuersJsonOfWrongShape_Rejected(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => _settings.Set("server.jwt_authentication.issuers.configuration", value));

        Assert.StartsWith("JWT authentication: issuers JSON not valid", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("issuer1")]
    [InlineData("""["issuer1","issuer2"]""")]
    [InlineData("""{"issuer_jwks_map":{"https://a":"https://a/keys"}}""")]
    public void Set_IssuersAcceptedForms_Stored(string value)
    {
        _settings.Set("server.jwt_authentication.issuers", value);

        Assert.Equal(value, _settings.IssuersConfiguration);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("123")]
    [InlineData("true")]
    [InlineData("""{"a":1}""")]
    public void Set_AudienceJsonScalarOrObject_Rejected(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => _settings.Set("server.jwt_authentication.audience", value));

        Assert.StartsWith("JWT authentication audiences JSON not valid", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("""["a","b"]""")]
    public void Set_AudienceStringOrArray_Stored(string value)
    {
        _settings.Set("server.jwt_authentication.audience", value);

        Assert.Equal(value, _settings.Audience);
    }

    [Fact]
    public void Set_IdentityMapBadLine_RejectedWithLineNumber()
    {
        var ex = Assert.Throws<ArgumentException>(() => _settings.Set("server.identity_map.configuration", "issuer1 a b\nonly two"));

        Assert.StartsWith("unable to parse line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_BooleansAndDuration_Applied()
    {
        _settings.Set("server.jwt_authentication.enabled", "true");
        _settings.Set("server.jwt_authentication.jwks_auto_fetch.enabled", "on");
        _settings.Set("server.jwt_authentication.client.timeout", "250ms");
        _settings.Set("server.jwt_authentication.claim", "email");

        Assert.True(_settings.Enabled);
        Assert.True(_settings.JwksAutoFetchEnabled);
        Assert.Equal(TimeSpan.FromMilliseconds(250), _settings.ClientTimeout);
        Assert.Equal("email", _settings.Claim);
    }

    [Fact]
    public void Set_UnknownSetting_NamesSupportedSettings()
    {
        var ex = Assert.Throws<ArgumentException>(() => _settings.Set("server.something", "1"));

        Assert.Contains("server.jwt_authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_AfterChanges_RestoresDefaults()
    {
        _settings.Enabled = true;
        _settings.Audience = "x";
        _settings.LoginFlow = CockroachJwtLoginFlow.RequestTokenAfterUserChecks;

        _settings.Reset();

        Assert.False(_settings.Enabled);
        Assert.Equal(string.Empty, _settings.Audience);
        Assert.Equal(CockroachJwtLoginFlow.RequestTokenFirst, _settings.LoginFlow);
        Assert.Equal(TimeSpan.FromSeconds(15), _settings.ClientTimeout);
    }
}
