using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>One public JWK as jwx sees it: key type, optional kid/alg/use and the key material.</summary>
internal sealed class JsonWebKey
{
    private readonly RSAParameters _rsa;
    private readonly ECParameters _ec;
    private readonly byte[]? _symmetric;

    private JsonWebKey(string keyType, string? keyId, string? algorithm, string? use, RSAParameters rsa, ECParameters ec, byte[]? symmetric)
    {
        KeyType = keyType;
        KeyId = keyId;
        Algorithm = algorithm;
        Use = use;
        _rsa = rsa;
        _ec = ec;
        _symmetric = symmetric;
    }

    internal string KeyType { get; }

    internal string? KeyId { get; }

    internal string? Algorithm { get; }

    internal string? Use { get; }

    /// <summary>The algorithms jwx infers for a key without <c>alg</c>: chosen by key type, not curve.</summary>
    internal IReadOnlyList<string> InferredAlgorithms => KeyType switch
    {
        "RSA" => ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
        "EC" => ["ES256", "ES384", "ES512"],
        "OKP" => ["EdDSA"],
        "oct" => ["HS256", "HS384", "HS512"],
        _ => [],
    };

    internal static bool TryParse(JsonElement element, out JsonWebKey? key, out string error)
    {
        key = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "failed to parse key: not a JSON object";
            return false;
        }

        var kty = Read(element, "kty");
        var kid = Read(element, "kid");
        var alg = Read(element, "alg");
        var use = Read(element, "use");
        try
        {
            switch (kty)
            {
                case "RSA":
                    var rsa = new RSAParameters { Modulus = Decode(element, "n"), Exponent = Decode(element, "e") };
                    key = new JsonWebKey(kty, kid, alg, use, rsa, default, null);
                    break;
                case "EC":
                    var curve = Read(element, "crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        var other => throw new FormatException($"unsupported curve {other}"),
                    };
                    var ec = new ECParameters { Curve = curve, Q = new ECPoint { X = Decode(element, "x"), Y = Decode(element, "y") } };
                    key = new JsonWebKey(kty, kid, alg, use, default, ec, null);
                    break;
                case "oct":
                    key = new JsonWebKey(kty, kid, alg, use, default, default, Decode(element, "k"));
                    break;
                case "OKP":
                    // Ed25519 is not verifiable with the BCL; the key is kept so kid lookup and inference behave like jwx.
                    key = new JsonWebKey(kty, kid, alg, use, default, default, null);
                    break;
                default:
                    error = $"failed to parse key: invalid key type {kty}";
                    return false;
            }
        }
        catch (FormatException ex)
        {
            error = "failed to parse key: " + ex.Message;
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Verifies a compact-JWS signature with the given algorithm; any mismatch simply fails.</summary>
    internal bool Verify(string algorithm, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            return (KeyType, algorithm) switch
            {
                ("RSA", "RS256" or "RS384" or "RS512") => VerifyRsa(signingInput, signature, Hash(algorithm), RSASignaturePadding.Pkcs1),
                ("RSA", "PS256" or "PS384" or "PS512") => VerifyRsa(signingInput, signature, Hash(algorithm), RSASignaturePadding.Pss),
                ("EC", "ES256" or "ES384" or "ES512") => VerifyEc(signingInput, signature, Hash(algorithm)),
                ("oct", "HS256" or "HS384" or "HS512") => VerifyHmac(signingInput, signature, algorithm),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static HashAlgorithmName Hash(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private bool VerifyRsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var rsa = RSA.Create(_rsa);
        return rsa.VerifyData(data, signature, hash, padding);
    }

    private bool VerifyEc(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        using var ecdsa = ECDsa.Create(_ec);
        return ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private bool VerifyHmac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, string algorithm)
    {
        var mac = algorithm switch
        {
            "HS256" => HMACSHA256.HashData(_symmetric, data),
            "HS384" => HMACSHA384.HashData(_symmetric, data),
            _ => HMACSHA512.HashData(_symmetric, data),
        };
        return CryptographicOperations.FixedTimeEquals(mac, signature);
    }

    private static string? Read(JsonElement element, string name)
        => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Decode(JsonElement element, string name)
    {
        var text = Read(element, name);
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException($"required field {name} is missing");
        }

        try
        {
            return Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            throw new FormatException($"field {name} is not base64url: {Encoding.ASCII.GetByteCount(text)} bytes");
        }
    }
}
