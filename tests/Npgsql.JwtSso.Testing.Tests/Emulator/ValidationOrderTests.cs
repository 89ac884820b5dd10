namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>crdb-jwt-server §5: the cases of CockroachDB's own tests, through Npgsql, in validation order (§3.1).</summary>
public sealed class ValidationOrderTests(KitFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task Login_ValidToken_SplicesToPostgresAsRequestedUser()
    {
        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint()));

        Assert.Equal(1, Emulator.LoginsSucceeded);
        Assert.Equal(0, Emulator.LoginsRejected);
    }

    [Fact]
    public async Task Login_Disabled_NotEnabled()
    {
        Settings.Enabled = false;

        var ex = await RejectAsync("test_user1", Mint());

        AssertJwtError(ex, "not enabled", null);
        Assert.Equal("ERROR", ex.Severity);
    }

    [Fact]
    public async Task Login_IssuersUnset_InvalidIssuerNamesTokenIssuer()
    {
        Settings.IssuersConfiguration = "";

        AssertJwtError(await RejectAsync("test_user1", Mint()), "invalid issuer", "token issued by issuer1");
    }

    [Theory]
    [InlineData("issuer1")]
    [InlineData("issuer2")]
    public async Task Login_IssuerList_AcceptsEveryListedIssuer(string issuer)
    {
        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(iss: issuer)));
    }

    [Fact]
    public async Task Login_SingleIssuerString_AcceptedLiterally()
    {
        Settings.IssuersConfiguration = "issuer2";

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(iss: "issuer2")));
        AssertJwtError(await RejectAsync("test_user1", Mint(iss: "issuer1")), "invalid issuer", "token issued by issuer1");
    }

    [Fact]
    public async Task Login_WrongSubject_InvalidPrincipalWithTokenAndLoginNames()
    {
        AssertJwtError(await RejectAsync("invalid_user", Mint(sub: "test_user1")), "invalid principal", "token issued for [test_user1] and login was for invalid_user");
    }

    [Fact]
    public async Task Login_Expired_InvalidTokenExpNotSatisfied()
    {
        var token = Mint(configure: o => o.Defects = JwtDefects.Expired);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", "unable to parse token: \"exp\" not satisfied");
    }

    [Fact]
    public async Task Login_UnknownKid_InvalidTokenNamesKid()
    {
        var token = Mint(configure: o => o.Header["kid"] = "invalid_key_id");

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"invalid_key_id\" in key set");
    }

    [Fact]
    public async Task Login_KeyOnlyInOtherSet_KidNotFoundThenPassesSignatureWithBothKeys()
    {
        var token = Mint(sub: "test_user1", kid: "test_kid2");
        Settings.Jwks = Jwks(Fixture.Key1);

        AssertJwtError(await RejectAsync("invalid_user", token), "invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"test_kid2\" in key set");

        Settings.Jwks = Jwks(Fixture.Key1, Fixture.Key2);

        // The signature now verifies; the login fails one step later, on the principal.
        AssertJwtError(await RejectAsync("invalid_user", token), "invalid principal", "token issued for [test_user1] and login was for invalid_user");
    }

    [Fact]
    public async Task Login_AudienceMismatch_InvalidAudienceListsTokenAudiences()
    {
        Settings.Audience = "audience_2";

        AssertJwtError(await RejectAsync("test_user1", Mint()), "invalid audience", "token issued with an audience of [test_cluster]");
    }

    [Fact]
    public async Task Login_AudienceArrayConfigured_AnyMatchAccepted()
    {
        Settings.Audience = """["audience_2","test_cluster"]""";

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint()));
    }

    [Fact]
    public async Task Login_TokenWithSeveralAudiences_DetailListsThemAll()
    {
        var token = Mint(configure: o => { o.Audience = null; o.Audiences = ["a1", "a2"]; });

        AssertJwtError(await RejectAsync("test_user1", token), "invalid audience", "token issued with an audience of [a1 a2]");
    }

    [Fact]
    public async Task Login_TokenWithoutAudience_AlwaysInvalidAudience()
    {
        var token = Mint(configure: o => o.Claims["aud"] = null);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid audience", "token issued with an audience of []");
    }

    [Fact]
    public async Task Login_EmptyAudienceAndDefaultSetting_Matches()
    {
        Settings.Audience = "";

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(aud: "")));
    }

    [Fact]
    public async Task Login_TokenWithoutIssuerAndDefaultIssuers_PassesIssuerCheck()
    {
        Settings.IssuersConfiguration = "";
        var token = Mint(configure: o => o.Claims["iss"] = null);

        Assert.Equal("test_user1", await LoginAsync("test_user1", token));
    }

    [Fact]
    public async Task Login_IssuerTrailingSlash_IsADifferentIssuer()
    {
        Settings.IssuersConfiguration = "https://x";

        AssertJwtError(await RejectAsync("test_user1", Mint(iss: "https://x/")), "invalid issuer", "token issued by https://x/");
    }

    [Fact]
    public async Task Login_IssuerCheckedBeforeSignature_ForgedTokenFromUnknownIssuerGetsIssuerError()
    {
        var token = Mint(iss: "elsewhere", configure: o => o.Defects = JwtDefects.UnregisteredKey);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid issuer", "token issued by elsewhere");
    }

    [Fact]
    public async Task Login_NotAJwt_InvalidTokenWithParsingFailedDetail()
    {
        var ex = await RejectAsync("test_user1", "not-a-jwt");

        Assert.Equal("28000", ex.SqlState);
        Assert.Equal("JWT authentication: invalid token", ex.MessageText);
        Assert.StartsWith("token parsing failed: ", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Rejected_CountsAndRecordsLastRejection()
    {
        Settings.Enabled = false;
        await RejectAsync("test_user1", Mint());

        Assert.Equal(1, Emulator.LoginsAttempted);
        Assert.Equal(1, Emulator.LoginsRejected);
        Assert.Equal(0, Emulator.LoginsSucceeded);
        Assert.Equal("JWT authentication: not enabled", Emulator.LastRejection!.Message);
        Assert.Equal("28000", Emulator.LastRejection.SqlState);
        Assert.Equal("test_user1", Emulator.LastRejection.User);
    }
}
