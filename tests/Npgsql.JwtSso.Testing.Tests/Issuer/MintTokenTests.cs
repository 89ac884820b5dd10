using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class MintTokenTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    private readonly FakeTimeProvider _time = fixture.Time;
    private readonly LocalJwtIssuer _issuer = fixture.Reset();
    private readonly DateTimeOffset _start = fixture.Time.GetUtcNow();

    [Fact]
    public async Task MintToken_Convenience_VerifiesAgainstServedJwksWithRs256()
    {
        var token = _issuer.MintToken("alice", "crdb-cluster", TimeSpan.FromMinutes(10));

        var result = await JwksVerifier.ValidateAsync(_issuer, token, "crdb-cluster");

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(LocalJwtIssuer.RsaKeyId, jwt.Kid);
        Assert.Equal("JWT", jwt.Typ);
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal(_issuer.Issuer, jwt.Issuer);
    }

    [Fact]
    public async Task MintToken_EcKey_VerifiesWithEs256()
    {
        var token = _issuer.MintToken(new JwtMintOptions { KeyId = LocalJwtIssuer.EcKeyId, Audience = "a" });

        var result = await JwksVerifier.ValidateAsync(_issuer, token, "a");

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("ES256", ((JsonWebToken)result.SecurityToken).Alg);
        Assert.Equal(LocalJwtIssuer.EcKeyId, ((JsonWebToken)result.SecurityToken).Kid);
    }

    [Fact]
    public void MintToken_FakeClock_IatAndExpComeFromIt()
    {
        var first = JwtToken.Parse(_issuer.MintToken("s", "a", TimeSpan.FromMinutes(15)));
        _time.Advance(TimeSpan.FromHours(2));
        var second = JwtToken.Parse(_issuer.MintToken("s", "a", TimeSpan.FromMinutes(15)));

        Assert.Equal(_start, first.IssuedAt);
        Assert.Equal(_start.AddMinutes(15), first.ExpiresOn);
        Assert.Equal(_start.AddHours(2), second.IssuedAt);
        Assert.Equal(_start.AddHours(2).AddMinutes(15), second.ExpiresOn);
    }

    [Fact]
    public void MintToken_Defaults_UseOptionsSubjectAudienceLifetime()
    {
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions()));

        Assert.Equal("test-user", token.Subject);
        Assert.Equal(["npgsql-jwtsso-test"], token.Audiences);
        Assert.Equal(_start.AddHours(1), token.ExpiresOn);
        Assert.Null(token.NotBefore);
    }

    [Fact]
    public void MintToken_SingleAudience_WritesJsonString()
    {
        var payload = Payload(_issuer.MintToken(new JwtMintOptions { Audience = "one" }));

        Assert.Equal(JsonValueKind.String, payload.GetProperty("aud").ValueKind);
    }

    [Fact]
    public async Task MintToken_Audiences_WritesJsonArrayAndValidatesForEither()
    {
        var token = _issuer.MintToken(new JwtMintOptions { Audiences = ["one", "two"] });

        Assert.Equal(JsonValueKind.Array, Payload(token).GetProperty("aud").ValueKind);
        Assert.Equal(["one", "two"], JwtToken.Parse(token).Audiences);
        Assert.True((await JwksVerifier.ValidateAsync(_issuer, token, "two")).IsValid);
    }

    [Fact]
    public void MintToken_AudienceAndAudiences_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => _issuer.MintToken(new JwtMintOptions { Audience = "a", Audiences = ["b"] }));

        Assert.Contains("Audience", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Audiences", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MintToken_ExtraClaims_WrittenAsJsonAndOverrideStandardOnes()
    {
        var token = _issuer.MintToken(new JwtMintOptions
        {
            Claims =
            {
                ["email"] = "alice@example.com",
                ["groups"] = new[] { "admins", "readers" },
                ["nested"] = new Dictionary<string, object> { ["n"] = 42, ["ok"] = true },
                ["raw"] = JsonDocument.Parse("""{"x":[1,2]}""").RootElement,
                ["iss"] = "https://custom.example",
                ["iat"] = null,
            },
        });

        var payload = Payload(token);
        Assert.Equal("alice@example.com", payload.GetProperty("email").GetString());
        Assert.Equal(["admins", "readers"], payload.GetProperty("groups").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(42, payload.GetProperty("nested").GetProperty("n").GetInt32());
        Assert.True(payload.GetProperty("nested").GetProperty("ok").GetBoolean());
        Assert.Equal(2, payload.GetProperty("raw").GetProperty("x")[1].GetInt32());
        Assert.Equal("https://custom.example", payload.GetProperty("iss").GetString());
        Assert.False(payload.TryGetProperty("iat", out _));
        Assert.True(payload.TryGetProperty("exp", out _));
    }

    [Fact]
    public void MintToken_HeaderOverrides_AddReplaceAndRemoveParameters()
    {
        var token = _issuer.MintToken(new JwtMintOptions { Header = { ["typ"] = null, ["kid"] = "other", ["x5t"] = "abc" } });

        var header = Header(token);
        Assert.False(header.TryGetProperty("typ", out _));
        Assert.Equal("other", header.GetProperty("kid").GetString());
        Assert.Equal("abc", header.GetProperty("x5t").GetString());
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
    }

    [Fact]
    public void MintToken_IssuedAtAndNotBefore_Honoured()
    {
        var iat = _start.AddDays(-1);
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions { IssuedAt = iat, NotBefore = iat.AddMinutes(1), Lifetime = TimeSpan.FromMinutes(5) }));

        Assert.Equal(iat, token.IssuedAt);
        Assert.Equal(iat.AddMinutes(1), token.NotBefore);
        Assert.Equal(iat.AddMinutes(5), token.ExpiresOn);
    }

    [Fact]
    public void MintToken_UnknownKeyId_ThrowsListingPublishedKeys()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => _issuer.MintToken(new JwtMintOptions { KeyId = "nope" }));

        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
        Assert.Contains(LocalJwtIssuer.RsaKeyId, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MintToken_NonPositiveLifetime_Throws()
    {
        Assert.Throws<ArgumentException>(() => _issuer.MintToken("s", "a", TimeSpan.Zero));
    }

    [Fact]
    public async Task MintToken_UnpublishedSigningKey_FailsSignatureValidation()
    {
        using var stranger = LocalSigningKey.CreateRsa("stranger");
        var token = _issuer.MintToken(new JwtMintOptions { SigningKey = stranger, Audience = "a" });

        var result = await JwksVerifier.ValidateAsync(_issuer, token, "a");

        Assert.False(result.IsValid);
        Assert.Equal("stranger", JwtToken.Parse(token).KeyId);
    }

    [Fact]
    public void MintToken_Repeated_SameClaimsDifferentOnlyIfClockMoves()
    {
        var a = _issuer.MintToken("s", "a", TimeSpan.FromMinutes(1));
        var b = _issuer.MintToken("s", "a", TimeSpan.FromMinutes(1));

        // RS256 (PKCS#1 v1.5) is deterministic: same input, same token.
        Assert.Equal(a, b);
    }

    internal static JsonElement Payload(string token) => Part(token, 1);

    internal static JsonElement Header(string token) => Part(token, 0);

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[index])).RootElement;
}
