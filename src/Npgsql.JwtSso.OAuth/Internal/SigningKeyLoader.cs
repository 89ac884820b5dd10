using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Turns the key options into signing credentials for the client assertion; errors never quote key material.</summary>
internal static class SigningKeyLoader
{
    private static readonly string[] RsaAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    internal static SigningCredentials? Load(
        string? pem, string? jwk, X509Certificate2? certificate, string? keyId, string? algorithm, List<string> errors)
    {
        var given = (pem is null ? 0 : 1) + (jwk is null ? 0 : 1) + (certificate is null ? 0 : 1);
        if (given != 1)
        {
            errors.Add(given == 0
                ? $"AuthenticationMethod is PrivateKeyJwt but no key is set: set exactly one of PrivateKeyPem, PrivateKeyJwk or a certificate (UseCertificate, in code)."
                : $"PrivateKeyPem, PrivateKeyJwk and a certificate (UseCertificate) are alternatives: set exactly one of them.");
            return null;
        }

        SecurityKey? key = pem is not null ? FromPem(pem, errors)
            : jwk is not null ? FromJwk(jwk, errors)
            : FromCertificate(certificate!, errors);
        if (key is null)
        {
            return null;
        }

        if (keyId is not null)
        {
            key.KeyId = keyId;
        }

        var isRsa = key is RsaSecurityKey || key is X509SecurityKey { PublicKey: RSA } || key is JsonWebKey { Kty: "RSA" };
        var alg = algorithm ?? (isRsa ? "RS256" : DefaultEcAlgorithm(key));
        var compatible = isRsa ? RsaAlgorithms.Contains(alg, StringComparer.Ordinal) : alg is "ES256" or "ES384" or "ES512";
        if (!compatible)
        {
            errors.Add($"SigningAlgorithm '{alg}' does not fit the {(isRsa ? "RSA" : "EC")} key: use {(isRsa ? "RS256" : "ES256 (P-256), ES384 (P-384) or ES512 (P-521)")}, or leave it unset.");
            return null;
        }

        return key is X509SecurityKey x509 ? new X509SigningCredentials(x509.Certificate, alg) : new SigningCredentials(key, alg);
    }

    private static string DefaultEcAlgorithm(SecurityKey key)
    {
        var size = key switch
        {
            ECDsaSecurityKey ec => ec.ECDsa.KeySize,
            JsonWebKey { Crv: "P-384" } => 384,
            JsonWebKey { Crv: "P-521" } => 521,
            X509SecurityKey { PublicKey: ECDsa ec } => ec.KeySize,
            _ => 256,
        };
        return size switch { 384 => "ES384", 521 => "ES512", _ => "ES256" };
    }

    private static SecurityKey? FromPem(string pem, List<string> errors)
    {
        var isEc = pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal);
        try
        {
            if (!isEc)
            {
                var rsa = RSA.Create();
                try
                {
                    rsa.ImportFromPem(pem);
                    return new RsaSecurityKey(rsa);
                }
                catch (CryptographicException)
                {
                    rsa.Dispose();
                }
                catch (ArgumentException)
                {
                    rsa.Dispose();
                }
            }

            var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(pem);
                return new ECDsaSecurityKey(ec);
            }
            catch
            {
                ec.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            errors.Add($"PrivateKeyPem is not a readable RSA or EC private key in PEM form (expected a '-----BEGIN PRIVATE KEY-----' PKCS#8 block, or RSA/EC PRIVATE KEY): {e.GetType().Name}.");
            return null;
        }
    }

    private static JsonWebKey? FromJwk(string json, List<string> errors)
    {
        JsonWebKey jwk;
        try
        {
            jwk = new JsonWebKey(json);
        }
        catch (ArgumentException)
        {
            errors.Add($"PrivateKeyJwk is not a JSON Web Key object: paste the key's JSON (one key, not a JWKS with \"keys\").");
            return null;
        }

        if (jwk.Kty is not ("RSA" or "EC"))
        {
            errors.Add($"PrivateKeyJwk has kty '{jwk.Kty}': only RSA and EC keys can sign a client assertion.");
            return null;
        }

        if (string.IsNullOrEmpty(jwk.D))
        {
            errors.Add($"PrivateKeyJwk holds only a public key (no 'd'): use the private JWK; register its public half at the authorization server.");
            return null;
        }

        return jwk;
    }

    private static X509SecurityKey? FromCertificate(X509Certificate2 certificate, List<string> errors)
    {
        if (!certificate.HasPrivateKey)
        {
            errors.Add($"Certificate has no private key: load it with its key (for example X509Certificate2.CreateFromPemFile(certPath, keyPath) or a PFX).");
            return null;
        }

        return new X509SecurityKey(certificate);
    }
}
