using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task AddKey_ThenDefault_NewTokensVerifyAgainstServedJwks()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        var rotated = LocalSigningKey.CreateRsa("rsa-2");

        issuer.AddKey(rotated);
        issuer.DefaultKey = rotated;
        var token = issuer.MintToken("s", "a", TimeSpan.FromMinutes(5));

        Assert.Equal("rsa-2", JwtToken.Parse(token).KeyId);
        Assert.True((await JwksVerifier.ValidateAsync(issuer, token, "a")).IsValid);
        Assert.Equal([LocalJwtIssuer.RsaKeyId, LocalJwtIssuer.EcKeyId, "rsa-2"], issuer.Keys.Select(k => k.KeyId));
    }

    [Fact]
    public async Task RemoveKey_Published_OldTokensNoLongerVerify()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        var token = issuer.MintToken(new JwtMintOptions { KeyId = LocalJwtIssuer.EcKeyId, Audience = "a" });
        Assert.True((await JwksVerifier.ValidateAsync(issuer, token, "a")).IsValid);

        using var removed = issuer.RemoveKey(LocalJwtIssuer.EcKeyId);

        Assert.NotNull(removed);
        Assert.DoesNotContain(LocalJwtIssuer.EcKeyId, issuer.JwksJson, StringComparison.Ordinal);
        Assert.False((await JwksVerifier.ValidateAsync(issuer, token, "a")).IsValid);
        Assert.Null(issuer.RemoveKey(LocalJwtIssuer.EcKeyId));
    }

    [Fact]
    public async Task RemoveKey_Default_ThrowsNamingDefaultKey()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();

        var ex = Assert.Throws<InvalidOperationException>(() => issuer.RemoveKey(LocalJwtIssuer.RsaKeyId));

        Assert.Contains("DefaultKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddKey_DuplicateKid_Throws()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        using var duplicate = LocalSigningKey.CreateEcdsa(LocalJwtIssuer.EcKeyId);

        Assert.Throws<ArgumentException>(() => issuer.AddKey(duplicate));
    }

    [Fact]
    public async Task DefaultKey_SetUnpublished_Throws()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        using var stranger = LocalSigningKey.CreateEcdsa("stranger");

        Assert.Throws<ArgumentException>(() => issuer.DefaultKey = stranger);
    }

    [Fact]
    public void LocalSigningKey_ToStringAndJwk_NoPrivateMaterial()
    {
        using var key = LocalSigningKey.CreateEcdsa("k1");

        Assert.Equal("k1 (ES256)", key.ToString());
        var jwk = new Microsoft.IdentityModel.Tokens.JsonWebKey(key.ToJwkJson());
        Assert.Equal("k1", jwk.Kid);
        Assert.Equal("P-256", jwk.Crv);
        Assert.False(jwk.HasPrivateKey);
        Assert.Contains("BEGIN PRIVATE KEY", key.ExportPrivateKeyPem(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRsa_SmallKey_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalSigningKey.CreateRsa("k", 1024));
    }
}
