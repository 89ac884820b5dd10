namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>Principal claim, identity map and reserved users (crdb-jwt-server §3.3–§3.5, §5).</summary>
public sealed class IdentityTests(KitFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task Login_CustomClaimMissing_MissingClaim()
    {
        Settings.Claim = "groups";

        AssertJwtError(await RejectAsync("test_user1", Mint()), "missing claim", "token does not contain a claim for groups");
    }

    [Fact]
    public async Task Login_IntegerClaimMappedToUser_PassesPrincipalThenChecksAudience()
    {
        Settings.Claim = "groups";
        Settings.IdentityMapConfiguration = "issuer2 1 test_user1";
        Settings.Audience = "audience_2";
        var token = Mint(iss: "issuer2", configure: o => o.Claims["groups"] = 1);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid audience", "token issued with an audience of [test_cluster]");

        Settings.Audience = "test_cluster";
        Assert.Equal("test_user1", await LoginAsync("test_user1", token));
    }

    [Theory]
    [InlineData("test_user1")]
    [InlineData("test_user2")]
    public async Task Login_ArrayClaim_EveryElementIsAPrincipal(string user)
    {
        Settings.Claim = "groups";
        var token = Mint(configure: o => o.Claims["groups"] = new[] { "test_user2", "test_user1" });

        Assert.Equal(user, await LoginAsync(user, token));
    }

    [Fact]
    public async Task Login_ArrayClaimOtherUser_DetailListsAllPrincipals()
    {
        Settings.Claim = "groups";
        var token = Mint(configure: o => o.Claims["groups"] = new[] { "test_user2", "test_user1" });

        AssertJwtError(await RejectAsync("jwt_user", token), "invalid principal", "token issued for [test_user2 test_user1] and login was for jwt_user");
    }

    [Fact]
    public async Task Login_StringClaim_IsThePrincipal()
    {
        Settings.Claim = "groups";

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(sub: "someone", configure: o => o.Claims["groups"] = "test_user1")));
    }

    [Fact]
    public async Task Login_MapPresentNoRuleMatches_InvalidPrincipalForIssuer()
    {
        Settings.IdentityMapConfiguration = "issuer2 test_user1 test_user2";

        AssertJwtError(await RejectAsync("test_user2", Mint(sub: "test_user2", iss: "issuer2")), "invalid principal", "the value [test_user2] for the issuer issuer2 is invalid");
    }

    [Fact]
    public async Task Login_MapPresent_ReplacesRawPrincipal()
    {
        Settings.IdentityMapConfiguration = "issuer2 test_user1 test_user2";
        var token = Mint(sub: "test_user1", iss: "issuer2");

        AssertJwtError(await RejectAsync("test_user1", token), "invalid principal", "token issued for [test_user1] and login was for test_user1");
        Assert.Equal("test_user2", await LoginAsync("test_user2", token));
    }

    [Fact]
    public async Task Login_MapForOtherIssuer_RawPrincipalStillAccepted()
    {
        Settings.IdentityMapConfiguration = "issuer2 test_user1 test_user2";

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(sub: "test_user1", iss: "issuer1")));
    }

    [Fact]
    public async Task Login_RegexMapWithCapture_MapsEmailToUser()
    {
        Settings.IdentityMapConfiguration = """
            # comment line
            issuer1 /^(.*)@example\.com$ \1
            """;

        Assert.Equal("jwt_user", await LoginAsync("jwt_user", Mint(sub: "JWT_User@example.com")));
    }

    [Fact]
    public async Task Login_IdentityMapCase_SensitiveBefore26_1InsensitiveAfter()
    {
        Settings.IdentityMapConfiguration = "issuer1 ALICE@EXAMPLE.COM jwt_user";
        var token = Mint(sub: "alice@example.com");

        AssertJwtError(await RejectAsync("jwt_user", token), "invalid principal", "the value [alice@example.com] for the issuer issuer1 is invalid");

        Settings.IdentityMapIgnoresCase = true;
        Assert.Equal("jwt_user", await LoginAsync("jwt_user", token));
    }

    [Fact]
    public async Task Login_MixedCaseSubjectAndUser_ComparedAfterNormalisation()
    {
        Assert.Equal("test_user1", await LoginAsync("TEST_User1", Mint(sub: "Test_USER1")));
    }

    [Fact]
    public async Task Login_SubjectRoot_InvalidIdentity()
    {
        AssertJwtError(await RejectAsync("root", Mint(sub: "root")), "invalid identity", "cannot use JWT auth to login to a reserved user root");
    }

    [Fact]
    public async Task Login_MappedToRoot_InvalidIdentity()
    {
        Settings.IdentityMapConfiguration = "issuer1 test_user1 root";

        AssertJwtError(await RejectAsync("root", Mint(sub: "test_user1")), "invalid identity", "cannot use JWT auth to login to a reserved user root");
    }

    [Fact]
    public async Task Login_CrdbInternalPrefix_InvalidIdentity()
    {
        AssertJwtError(await RejectAsync("crdb_internal_x", Mint(sub: "crdb_internal_x")), "invalid identity", "cannot use JWT auth to login to a reserved user crdb_internal_x");
    }

    [Fact]
    public async Task Login_UnparseableIdentityMapAtRuntime_ActsAsEmptyMap()
    {
        Settings.IdentityMapConfiguration = "only two";

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint()));
    }
}
