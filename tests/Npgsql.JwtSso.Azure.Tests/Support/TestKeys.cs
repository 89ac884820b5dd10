using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Npgsql.JwtSso.Azure.Tests.Support;

/// <summary>RSA keys generated once per run (a 2048-bit key costs seconds on a busy machine) and certificates over them.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> LazyFirst = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> LazySecond = new(() => RSA.Create(2048));

    internal static RSA First => LazyFirst.Value;

    internal static RSA Second => LazySecond.Value;

    internal static X509Certificate2 Certificate(RSA key, string subject)
        => new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));

    /// <summary>Writes certificate and private key to a new PEM file; the caller deletes it.</summary>
    internal static string WritePem(X509Certificate2 certificate, RSA key)
    {
        var path = Path.Combine(Path.GetTempPath(), $"azure-test-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        return path;
    }
}
