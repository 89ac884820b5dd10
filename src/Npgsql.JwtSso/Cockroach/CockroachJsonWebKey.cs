using System.Security.Cryptography;
using System.Text.Json;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// One public JWK as CockroachDB's JWT library (lestrrat-go/jwx v2) reads it: key type <c>RSA</c>, <c>EC</c> (P-256,
/// P-384, P-521), <c>oct</c> or <c>OKP</c>, with optional <c>kid</c>, <c>alg</c> and <c>use</c>. Signatures are checked
/// with System.Security.Cryptography; <c>OKP</c> (EdDSA) keys are kept for key lookup but cannot be verified here.
/// </summary>
public sealed class CockroachJsonWebKey
{
    private readonly RSAParameters _rsa;
    private readonly ECParameters _ec;
    private readonly byte[]? _symmetric;

    private CockroachJsonWebKey(string keyType, string? keyId, string? algorithm, string? use, RSAParameters rsa, ECParameters ec, byte[]? symmetric)
    {
        KeyType = keyType;
        KeyId = keyId;
        Algorithm = algorithm;
        Use = use;
        _rsa = rsa;
        _ec = ec;
        _symmetric = symmetric;
    }

    /// <summary>Gets the key type (<c>kty</c>): <c>RSA</c>, <c>EC</c>, <c>oct</c> or <c>OKP</c>.</summary>
    public string KeyType { get; }

    /// <summary>Gets the key ID (<c>kid</c>); a key without one can never be selected by the cluster.</summary>
    public string? KeyId { get; }

    /// <summary>Gets the key's algorithm (<c>alg</c>); when present it is used instead of the token header's.</summary>
    public string? Algorithm { get; }

    /// <summary>Gets the key's intended use (<c>use</c>); a key whose use is not <c>sig</c> never verifies.</summary>
    public string? Use { get; }

    /// <summary>Gets a value indicating whether this library can check signatures made with this key (not for <c>OKP</c>/EdDSA keys).</summary>
    public bool CanVerify => KeyType != "OKP";

    /// <summary>The algorithms jwx infers for a key without <c>alg</c>: chosen by key type, not curve.</summary>
    internal IReadOnlyList<string> InferredAlgorithms => KeyType switch
    {
        "RSA" => ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
        "EC" => ["ES256", "ES384", "ES512"],
        "OKP" => ["EdDSA"],
        "oct" => ["HS256", "HS384", "HS512"],
        _ => [],
    };

    internal static bool TryParse(JsonElement element, out CockroachJsonWebKey? key, out string error)
    {
        key = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "failed to parse key: not a JSON object";
            return false;
        }

        var kty = JwkFields.Read(element, "kty");
        var kid = JwkFields.Read(element, "kid");
        var alg = JwkFields.Read(element, "alg");
        var use = JwkFields.Read(element, "use");
        try
        {
            switch (kty)
            {
                case "RSA":
                    var rsa = new RSAParameters { Modulus = JwkFields.Decode(element, "n"), Exponent = JwkFields.Decode(element, "e") };
                    key = new CockroachJsonWebKey(kty, kid, alg, use, rsa, default, null);
                    break;
                case "EC":
                    var curve = JwkFields.Read(element, "crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        var other => throw new FormatException($"unsupported curve {other}"),
                    };
                    var ec = new ECParameters { Curve = curve, Q = new ECPoint { X = JwkFields.Decode(element, "x"), Y = JwkFields.Decode(element, "y") } };
                    key = new CockroachJsonWebKey(kty, kid, alg, use, default, ec, null);
                    break;
                case "oct":
                    key = new CockroachJsonWebKey(kty, kid, alg, use, default, default, JwkFields.Decode(element, "k"));
                    break;
                case "OKP":
                    // Ed25519 is not verifiable with the BCL; the key is kept so kid lookup and inference behave like jwx.
                    key = new CockroachJsonWebKey(kty, kid, alg, use, default, default, null);
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
}
