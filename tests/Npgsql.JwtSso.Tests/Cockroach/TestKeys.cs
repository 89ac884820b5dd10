using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tests.Cockroach;

/// <summary>Signing keys and compact JWS tokens for the key-set tests, made with System.Security.Cryptography.</summary>
internal static class TestKeys
{
    public static readonly RSA Rsa = RSA.Create(2048);
    public static readonly ECDsa Ec384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    public static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    public static JsonObject RsaJwk(string kid = "test_kid1", string? alg = "RS256")
    {
        var p = Rsa.ExportParameters(false);
        return With(new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) }, alg);
    }

    public static JsonObject EcJwk(string kid = "test_kid2", string? alg = "ES384")
    {
        var p = Ec384.ExportParameters(false);
        return With(new JsonObject { ["kty"] = "EC", ["kid"] = kid, ["crv"] = "P-384", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) }, alg);
    }

    public static JsonObject OctJwk(string kid = "hmac", string? alg = "HS256")
        => With(new JsonObject { ["kty"] = "oct", ["kid"] = kid, ["k"] = B64(Secret) }, alg);

    public static string Set(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

    /// <summary>Signs <c>{"sub":"test_user1"}</c> with the given algorithm (RS*/PS* with <see cref="Rsa"/>, ES384 with <see cref="Ec384"/>, HS256 with <see cref="Secret"/>).</summary>
    public static string Token(string signingAlg, string? kid, string? headerAlg = null, string sub = "test_user1")
    {
        var header = new JsonObject { ["alg"] = headerAlg ?? signingAlg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(new { sub, iss = "issuer1", aud = "test_cluster" }));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = signingAlg switch
        {
            "RS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES384" => Ec384.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "HS256" => HMACSHA256.HashData(Secret, data),
            _ => throw new ArgumentOutOfRangeException(nameof(signingAlg)),
        };
        return input + "." + B64(signature);
    }

    private static JsonObject With(JsonObject jwk, string? alg)
    {
        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        return jwk;
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
