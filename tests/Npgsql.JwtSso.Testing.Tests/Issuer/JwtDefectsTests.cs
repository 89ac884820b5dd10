using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class JwtDefectsTests(IssuerFixture fixture) : IClassFixture<IssuerFixture>
{
    private readonly FakeTimeProvider _time = fixture.Time;
    private readonly LocalJwtIssuer _issuer = fixture.Reset();
    private readonly DateTimeOffset _start = fixture.Time.GetUtcNow();

    [Theory]
    [InlineData(JwtDefects.UnregisteredKey, typeof(SecurityTokenInvalidSignatureException))]
    [InlineData(JwtDefects.Expired, typeof(SecurityTokenExpiredException))]
    [InlineData(JwtDefects.MissingExpiry, typeof(SecurityTokenNoExpirationException))]
    [InlineData(JwtDefects.WrongAudience, typeof(SecurityTokenInvalidAudienceException))]
    [InlineData(JwtDefects.WrongIssuer, typeof(SecurityTokenInvalidIssuerException))]
    [InlineData(JwtDefects.NotYetValid, typeof(SecurityTokenNotYetValidException))]
    [InlineData(JwtDefects.AlgorithmNone, typeof(SecurityTokenInvalidSignatureException))]
    public async Task MintToken_Defect_RejectedByValidatorWithMatchingError(JwtDefects defect, Type expected)
    {
        var token = _issuer.MintToken(new JwtMintOptions { Audience = "aud", Defects = defect });
        var control = _issuer.MintToken(new JwtMintOptions { Audience = "aud" });

        var result = await JwksVerifier.ValidateAsync(_issuer, token, "aud");

        Assert.True((await JwksVerifier.ValidateAsync(_issuer, control, "aud")).IsValid);
        Assert.False(result.IsValid);
        Assert.IsAssignableFrom(expected, result.Exception);
    }

    [Fact]
    public async Task MintToken_AlgorithmMismatch_HeaderNamesOtherFamilyAndFailsValidation()
    {
        var rsa = _issuer.MintToken(new JwtMintOptions { Audience = "aud", Defects = JwtDefects.AlgorithmMismatch });
        var ec = _issuer.MintToken(new JwtMintOptions { Audience = "aud", KeyId = LocalJwtIssuer.EcKeyId, Defects = JwtDefects.AlgorithmMismatch });

        Assert.Equal("ES256", JwtToken.Parse(rsa).Algorithm);
        Assert.Equal("RS256", JwtToken.Parse(ec).Algorithm);
        Assert.False((await JwksVerifier.ValidateAsync(_issuer, rsa, "aud")).IsValid);
        Assert.False((await JwksVerifier.ValidateAsync(_issuer, ec, "aud")).IsValid);
    }

    [Fact]
    public async Task MintToken_MissingKeyId_HeaderHasNoKidAndStrictVerifierRejects()
    {
        var token = _issuer.MintToken(new JwtMintOptions { Audience = "aud", Defects = JwtDefects.MissingKeyId });

        Assert.False(MintTokenTests.Header(token).TryGetProperty("kid", out _));
        Assert.False((await JwksVerifier.ValidateAsync(_issuer, token, "aud")).IsValid);
        // The signature itself is genuine: a verifier that tries every key accepts it.
        Assert.True((await JwksVerifier.ValidateAsync(_issuer, token, "aud", p => p.TryAllIssuerSigningKeys = true)).IsValid);
    }

    [Fact]
    public void MintToken_UnregisteredKey_KeepsPublishedKid()
    {
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions { Defects = JwtDefects.UnregisteredKey }));

        Assert.Equal(LocalJwtIssuer.RsaKeyId, token.KeyId);
    }

    [Fact]
    public void MintToken_Expired_ExpOneHourBeforeNow()
    {
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions { Defects = JwtDefects.Expired, Lifetime = TimeSpan.FromMinutes(10) }));

        Assert.Equal(_start.AddHours(-1), token.ExpiresOn);
        Assert.Equal(_start.AddHours(-1).AddMinutes(-10), token.IssuedAt);
    }

    [Fact]
    public void MintToken_IssuedInFuture_IatOneHourAhead()
    {
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions { Defects = JwtDefects.IssuedInFuture }));

        Assert.Equal(_start.AddHours(1), token.IssuedAt);
        Assert.Equal(_start.AddHours(2), token.ExpiresOn);
    }

    [Fact]
    public void MintToken_AlgorithmNone_HasEmptySignature()
    {
        var token = _issuer.MintToken(new JwtMintOptions { Defects = JwtDefects.AlgorithmNone });

        Assert.EndsWith(".", token, StringComparison.Ordinal);
        Assert.Equal("none", JwtToken.Parse(token).Algorithm);
    }

    [Fact]
    public void MintToken_CombinedDefects_AllApplied()
    {
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions { Defects = JwtDefects.WrongIssuer | JwtDefects.WrongAudience | JwtDefects.MissingExpiry }));

        Assert.Equal(JwtMintOptions.WrongIssuerValue, token.Issuer);
        Assert.Equal([JwtMintOptions.WrongAudienceValue], token.Audiences);
        Assert.Null(token.ExpiresOn);
    }

    [Fact]
    public void MintToken_HeaderOverride_WinsOverDefect()
    {
        var token = JwtToken.Parse(_issuer.MintToken(new JwtMintOptions { Defects = JwtDefects.MissingKeyId, Header = { ["kid"] = "explicit" } }));

        Assert.Equal("explicit", token.KeyId);
    }
}
