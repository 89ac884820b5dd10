using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Checks a compact JWS signature against one public JWK (RSA and EC), as the cluster would, so the doctor can tell a forged or re-keyed token offline.</summary>
internal static class JwsSignature
{
    /// <summary>Returns <see langword="true"/>/<see langword="false"/> for a verdict, or <see langword="null"/> when the key type or algorithm is not one the tool can check.</summary>
    public static bool? Verify(JsonElement jwk, string algorithm, string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature;
        try
        {
            signature = Base64UrlDecode(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        var hash = algorithm[^3..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return null;
        }

        try
        {
            switch (Text(jwk, "kty"), algorithm[..2])
            {
                case ("RSA", "RS" or "PS"):
                    using (var rsa = RSA.Create(new RSAParameters { Modulus = Base64UrlDecode(Text(jwk, "n")!), Exponent = Base64UrlDecode(Text(jwk, "e")!) }))
                    {
                        return rsa.VerifyData(data, signature, hash, algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
                    }

                case ("EC", "ES"):
                    var curve = Text(jwk, "crv") switch
                    {
                        "P-256" => ECCurve.NamedCurves.nistP256,
                        "P-384" => ECCurve.NamedCurves.nistP384,
                        "P-521" => ECCurve.NamedCurves.nistP521,
                        _ => (ECCurve?)null,
                    };
                    if (curve is null)
                    {
                        return null;
                    }

                    using (var ec = ECDsa.Create(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = Base64UrlDecode(Text(jwk, "x")!), Y = Base64UrlDecode(Text(jwk, "y")!) } }))
                    {
                        return ec.VerifyData(data, signature, hash);
                    }

                default:
                    return null;
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentNullException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Base64UrlDecode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
