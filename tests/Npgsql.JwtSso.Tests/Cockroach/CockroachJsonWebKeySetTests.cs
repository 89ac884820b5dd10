using Xunit;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tests.Cockroach;

/// <summary>Key selection and signature rules of jwx v2 as CockroachDB calls it (crdb-jwt-server.md §3.2), with the server's DETAIL texts.</summary>
public sealed class CockroachJsonWebKeySetTests
{
    private const string CouldNotVerify = "could not verify message using any of the signatures or keys";

    [Theory]
    [InlineData("RS256", "test_kid1")]
    [InlineData("ES384", "test_kid2")]
    public void TryVerify_KeyWithAlg_Verifies(string alg, string kid)
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk(), TestKeys.EcJwk()));

        Assert.True(set.TryVerify(TestKeys.Token(alg, kid), out var error), error);
    }

    [Fact]
    public void TryVerify_HmacKey_Verifies()
    {
        var set = Parse(TestKeys.Set(TestKeys.OctJwk()));

        Assert.True(set.TryVerify(TestKeys.Token("HS256", "hmac"), out var error), error);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public void TryVerify_KeyWithoutAlg_InfersFromTheKeyType(string alg)
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk(alg: null)));

        Assert.True(set.TryVerify(TestKeys.Token(alg, "test_kid1"), out var error), error);
    }

    [Fact]
    public void TryVerify_KeyWithoutAlgAndHeaderAlgOfOtherFamily_InferredAlgorithmsError()
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk(alg: null)));

        Assert.False(set.TryVerify(TestKeys.Token("RS256", "test_kid1", headerAlg: "ES256"), out var error));
        Assert.Equal("key provider 0 failed: algorithm in the message does not match any of the inferred algorithms", error);
    }

    [Fact]
    public void TryVerify_KeyAlgPresent_WinsOverHeaderAlg()
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk()));

        Assert.True(set.TryVerify(TestKeys.Token("RS256", "test_kid1", headerAlg: "ES256"), out var error), error);
    }

    [Fact]
    public void TryVerify_KeyAlgDiffersFromSigningAlg_CouldNotVerify()
    {
        var set = Parse(TestKeys.Set(TestKeys.EcJwk(alg: "ES512")));

        Assert.False(set.TryVerify(TestKeys.Token("ES384", "test_kid2"), out var error));
        Assert.Equal(CouldNotVerify, error);
    }

    [Fact]
    public void TryVerify_NoKidWithOneKeySet_KidIsMandatory()
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk()));

        Assert.False(set.TryVerify(TestKeys.Token("RS256", kid: null), out var error));
        Assert.Equal("key provider 0 failed: failed to find matching key: no key ID (\"kid\") specified in token", error);
    }

    [Fact]
    public void TryVerify_UnknownKid_NamesItGoQuoted()
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk()));

        Assert.False(set.TryVerify(TestKeys.Token("RS256", "invalid_key_id\""), out var error));
        Assert.Equal("key provider 0 failed: failed to find key with key ID \"invalid_key_id\\\"\" in key set", error);
    }

    [Fact]
    public void TryVerify_KeyWithUseEnc_FoundByKidButNotUsed()
    {
        var jwk = TestKeys.RsaJwk();
        jwk["use"] = "enc";
        var set = Parse(TestKeys.Set(jwk));

        Assert.NotNull(set.Find("test_kid1"));
        Assert.False(set.TryVerify(TestKeys.Token("RS256", "test_kid1"), out var error));
        Assert.Equal(CouldNotVerify, error);
    }

    [Fact]
    public void TryVerify_TwoKeysWithTheKid_OnlyTheFirstIsTried()
    {
        var set = Parse(TestKeys.Set(TestKeys.EcJwk(kid: "same", alg: null), TestKeys.RsaJwk(kid: "same", alg: null)));

        Assert.Equal("EC", set.Find("same")!.KeyType);
        Assert.False(set.TryVerify(TestKeys.Token("RS256", "same"), out var error));
        Assert.Equal("key provider 0 failed: algorithm in the message does not match any of the inferred algorithms", error);
    }

    [Fact]
    public void TryVerify_ChangedPayload_CouldNotVerify()
    {
        var set = Parse(TestKeys.Set(TestKeys.RsaJwk()));
        var parts = TestKeys.Token("RS256", "test_kid1").Split('.');
        var other = TestKeys.Token("RS256", "test_kid1", sub: "root").Split('.');

        Assert.False(set.TryVerify($"{parts[0]}.{other[1]}.{parts[2]}", out var error));
        Assert.Equal(CouldNotVerify, error);
    }

    [Fact]
    public void TryVerify_NotCompact_InvalidCompactSerialization()
    {
        Assert.False(Parse(TestKeys.Set(TestKeys.RsaJwk())).TryVerify("a.b", out var error));
        Assert.Equal("failed to parse jws: invalid compact serialization format", error);
    }

    [Fact]
    public void OkpKey_KeptForLookupButNotVerifiable()
    {
        var set = Parse("""{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}""");

        Assert.False(set.Find("ed")!.CanVerify);
        Assert.False(set.TryVerify(TestKeys.Token("RS256", "ed", headerAlg: "EdDSA"), out var error));
        Assert.Equal(CouldNotVerify, error);
    }

    [Fact]
    public void TryParse_SingleJwk_IsASetOfOne()
    {
        var set = Parse(TestKeys.RsaJwk().ToJsonString());

        Assert.Equal("test_kid1", Assert.Single(set.Keys).KeyId);
    }

    [Theory]
    [InlineData("", "failed to unmarshal JSON into key set: empty input")]
    [InlineData("[]", "failed to unmarshal JSON into key set: not a JSON object")]
    [InlineData("{\"keys\":{}}", "failed to unmarshal JSON into key set: \"keys\" is not an array")]
    [InlineData("{\"keys\":[{\"kty\":\"XYZ\"}]}", "failed to parse key: invalid key type XYZ")]
    [InlineData("{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\"}]}", "failed to parse key: required field n is missing")]
    [InlineData("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}]}", "failed to parse key: unsupported curve P-192")]
    public void TryParse_BadInput_FailsTheWholeSetWithJwxReason(string json, string expected)
    {
        Assert.False(CockroachJsonWebKeySet.TryParse(json, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_OneBadKeyAmongGoodOnes_FailsTheWholeSet()
    {
        var bad = new JsonObject { ["kty"] = "RSA", ["kid"] = "bad" };

        Assert.False(CockroachJsonWebKeySet.TryParse(TestKeys.Set(TestKeys.RsaJwk(), bad), out _, out _));
    }

    private static CockroachJsonWebKeySet Parse(string json)
    {
        Assert.True(CockroachJsonWebKeySet.TryParse(json, out var set, out var error), error);
        return set;
    }
}
