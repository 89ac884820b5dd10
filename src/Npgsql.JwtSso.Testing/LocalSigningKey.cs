using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// A signing key of the <see cref="LocalJwtIssuer"/>: an RSA key (RS256) or an EC P-256 key (ES256) with its key id.
/// </summary>
/// <remarks>
/// A key signs tokens whether or not it is published: pass an unpublished key as <see cref="JwtMintOptions.SigningKey"/>
/// to get a token that no verifier reading the issuer's JWKS accepts.
/// </remarks>
public sealed class LocalSigningKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private LocalSigningKey(string keyId, string algorithm, RSA? rsa, ECDsa? ec)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ec = ec;
    }

    /// <summary>Gets the key id: the <c>kid</c> header of tokens signed with this key and of its JWK.</summary>
    public string KeyId { get; }

    /// <summary>Gets the JWS algorithm of this key: <c>RS256</c> or <c>ES256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Creates a new RSA key that signs with RS256.</summary>
    /// <param name="keyId">The key id (<c>kid</c>).</param>
    /// <param name="keySizeInBits">The modulus size; at least 2048.</param>
    /// <returns>The new key. The caller owns it until it is added to an issuer.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keySizeInBits"/> is below 2048.</exception>
    public static LocalSigningKey CreateRsa(string keyId, int keySizeInBits = 2048)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentOutOfRangeException.ThrowIfLessThan(keySizeInBits, 2048);
        return new LocalSigningKey(keyId, "RS256", RSA.Create(keySizeInBits), null);
    }

    /// <summary>Creates a new EC key on curve P-256 that signs with ES256.</summary>
    /// <param name="keyId">The key id (<c>kid</c>).</param>
    /// <returns>The new key. The caller owns it until it is added to an issuer.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is null or empty.</exception>
    public static LocalSigningKey CreateEcdsa(string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        return new LocalSigningKey(keyId, "ES256", null, ECDsa.Create(ECCurve.NamedCurves.nistP256));
    }

    /// <summary>Returns the public key as a JSON Web Key (RFC 7517) with <c>kid</c>, <c>alg</c> and <c>use</c>.</summary>
    /// <returns>The JWK as a JSON object text.</returns>
    public string ToJwkJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJwk(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Exports the private key as PKCS#8 PEM, e.g. for a GCP service-account key file pointing at the issuer.</summary>
    /// <returns>The PEM text (<c>-----BEGIN PRIVATE KEY-----</c>).</returns>
    public string ExportPrivateKeyPem() => _rsa is not null ? _rsa.ExportPkcs8PrivateKeyPem() : _ec!.ExportPkcs8PrivateKeyPem();

    /// <inheritdoc />
    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }

    /// <summary>Returns the key id and algorithm (never key material).</summary>
    /// <returns>A text such as <c>rsa-1 (RS256)</c>.</returns>
    public override string ToString() => $"{KeyId} ({Algorithm})";

    internal LocalSigningKey CreateImpostor() =>
        _rsa is not null ? CreateRsa(KeyId, _rsa.KeySize) : CreateEcdsa(KeyId);

    internal byte[] Sign(byte[] data) =>
        _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, HashAlgorithmName.SHA256);

    internal void WriteJwk(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(includePrivateParameters: false);
            writer.WriteString("kty", "RSA");
            writer.WriteString("n", Base64Url.EncodeToString(p.Modulus));
            writer.WriteString("e", Base64Url.EncodeToString(p.Exponent));
        }
        else
        {
            var p = _ec!.ExportParameters(includePrivateParameters: false);
            writer.WriteString("kty", "EC");
            writer.WriteString("crv", "P-256");
            writer.WriteString("x", Base64Url.EncodeToString(p.Q.X));
            writer.WriteString("y", Base64Url.EncodeToString(p.Q.Y));
        }

        writer.WriteString("kid", KeyId);
        writer.WriteString("alg", Algorithm);
        writer.WriteString("use", "sig");
        writer.WriteEndObject();
    }
}
