namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>jwx v2 key selection and algorithm semantics (crdb-jwt-server §3.2).</summary>
public sealed class SignatureTests(KitFixture fixture) : EmulatorTestBase(fixture)
{
    private const string Prefix = "unable to parse token: ";

    [Fact]
    public async Task Login_JwkWithoutAlg_InfersAlgorithmAndVerifies()
    {
        Settings.Jwks = JwksWith(jwk => jwk.Remove("alg"), Fixture.Key1, Fixture.Key2);

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint()));
        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(kid: "test_kid2")));
    }

    [Fact]
    public async Task Login_JwkWithoutAlgAndHeaderAlgOfOtherFamily_InferredAlgorithmsError()
    {
        Settings.Jwks = JwksWith(jwk => jwk.Remove("alg"), Fixture.Key1);
        var token = Mint(configure: o => o.Defects = JwtDefects.AlgorithmMismatch);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", Prefix + "key provider 0 failed: algorithm in the message does not match any of the inferred algorithms");
    }

    [Fact]
    public async Task Login_JwkAlgPresent_WinsOverHeaderAlg()
    {
        // Signed with RS256 but the header claims ES256: jwx verifies with the key's alg, so the token passes.
        var token = Mint(configure: o => o.Defects = JwtDefects.AlgorithmMismatch);

        Assert.Equal("test_user1", await LoginAsync("test_user1", token));
    }

    [Fact]
    public async Task Login_JwkAlgDiffersFromSigningAlg_CouldNotVerify()
    {
        Settings.Jwks = JwksWith(jwk => jwk["alg"] = "ES512", Fixture.Key2);

        AssertJwtError(await RejectAsync("test_user1", Mint(kid: "test_kid2")), "invalid token", Prefix + "could not verify message using any of the signatures or keys");
    }

    [Fact]
    public async Task Login_NoKidWithOneKeySet_KidIsMandatory()
    {
        Settings.Jwks = Jwks(Fixture.Key1);
        var token = Mint(configure: o => o.Defects = JwtDefects.MissingKeyId);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", Prefix + "key provider 0 failed: failed to find matching key: no key ID (\"kid\") specified in token");
    }

    [Fact]
    public async Task Login_KeyWithUseEnc_FoundByKidButNotUsedForVerification()
    {
        Settings.Jwks = JwksWith(jwk => jwk["use"] = "enc", Fixture.Key1);

        AssertJwtError(await RejectAsync("test_user1", Mint()), "invalid token", Prefix + "could not verify message using any of the signatures or keys");
    }

    [Fact]
    public async Task Login_EncKeyListedBeforeSigKeyWithSameKid_SigKeyNeverTried()
    {
        var enc = JwksWith(jwk => jwk["use"] = "enc", Fixture.Key1);
        Settings.Jwks = enc[..^2] + "," + Fixture.Key1.ToJwkJson() + "]}";

        AssertJwtError(await RejectAsync("test_user1", Mint()), "invalid token", Prefix + "could not verify message using any of the signatures or keys");
    }

    [Fact]
    public async Task Login_KeyWithEmptyUse_TreatedAsSig()
    {
        Settings.Jwks = JwksWith(jwk => jwk["use"] = "", Fixture.Key1);

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint()));
    }

    [Fact]
    public async Task Login_ForgedSignature_CouldNotVerify()
    {
        var token = Mint(configure: o => o.Defects = JwtDefects.UnregisteredKey);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", Prefix + "could not verify message using any of the signatures or keys");
    }

    [Fact]
    public async Task Login_AlgNone_NeverVerifies()
    {
        var token = Mint(configure: o => o.Defects = JwtDefects.AlgorithmNone);

        AssertJwtError(await RejectAsync("test_user1", token), "invalid token", Prefix + "could not verify message using any of the signatures or keys");
    }

    [Fact]
    public async Task Login_DuplicateKid_OnlyFirstKeyTried()
    {
        // First entry: key 2's material under kid test_kid1; the real test_kid1 key comes second and is never tried.
        Settings.Jwks = "{\"keys\":[" + Fixture.Key2.ToJwkJson().Replace("\"test_kid2\"", "\"test_kid1\"", StringComparison.Ordinal) + "," + Fixture.Key1.ToJwkJson() + "]}";

        AssertJwtError(await RejectAsync("test_user1", Mint()), "invalid token", Prefix + "could not verify message using any of the signatures or keys");
    }

    [Fact]
    public async Task Login_JwksSettingIsSingleJwk_Accepted()
    {
        Settings.Jwks = Fixture.Key1.ToJwkJson();

        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint()));
    }

    [Fact]
    public async Task Login_UnparseableJwksAtRuntime_ActsAsEmptySet()
    {
        Settings.Jwks = "{not json";

        AssertJwtError(await RejectAsync("test_user1", Mint()), "invalid token", Prefix + "key provider 0 failed: failed to find key with key ID \"test_kid1\" in key set");
    }
}
