using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// Certificate checks for identity-provider and discovery calls: the system's roots, or the CA file of
/// <c>--ca-file</c>; remembers why the last check failed so the error can name the real cause.
/// </summary>
internal sealed class TlsTrust
{
    private readonly X509Certificate2Collection? _roots;

    public TlsTrust(string? caFile)
    {
        CaFile = caFile;
        if (caFile is null)
        {
            return;
        }

        if (!File.Exists(caFile))
        {
            throw new ToolException($"--ca-file '{caFile}' does not exist.");
        }

        _roots = [];
        try
        {
            _roots.ImportFromPemFile(caFile);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ToolException($"--ca-file '{caFile}' is not a PEM file of CA certificates: {e.Message}", e);
        }

        if (_roots.Count == 0)
        {
            throw new ToolException($"--ca-file '{caFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }
    }

    public string? CaFile { get; }

    /// <summary>Gets the reason of the last refused certificate, in plain words, or <see langword="null"/>.</summary>
    public string? LastFailure { get; private set; }

    public SocketsHttpHandler CreateHandler()
        => new() { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate } };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? "the server";
        if (certificate is null)
        {
            LastFailure = $"{host} sent no certificate";
            return false;
        }

        var status = chain?.ChainStatus.Select(s => s.Status).ToList() ?? [];
        if (_roots is not null && errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            if (custom.Build(leaf))
            {
                errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
            }
            else
            {
                status = custom.ChainStatus.Select(s => s.Status).ToList();
            }
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        LastFailure = Describe(host, errors, status, certificate);
        return false;
    }

    private string Describe(string host, SslPolicyErrors errors, List<X509ChainStatusFlags> status, X509Certificate certificate)
    {
        var subject = certificate.Subject;
        if (status.Contains(X509ChainStatusFlags.NotTimeValid))
        {
            var cert = certificate as X509Certificate2;
            return $"the certificate of {host} ({subject}) is expired or not yet valid{(cert is null ? string.Empty : $" (valid {cert.NotBefore.ToUniversalTime():u} to {cert.NotAfter.ToUniversalTime():u})")}: renew it on the server, or check this machine's clock";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var flags = string.Join(", ", status.Where(s => s != X509ChainStatusFlags.NoError).Distinct());
            return CaFile is null
                ? $"the certificate of {host} ({subject}) is not trusted ({flags}): give the CA that issued it with --ca-file <ca.pem>"
                : $"the certificate of {host} ({subject}) is not trusted by --ca-file '{CaFile}' ({flags}): give the CA that issued it";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the certificate of {host} ({subject}) does not name '{host}': use the host name the certificate was issued for";
        }

        return $"the certificate of {host} was refused ({errors})";
    }
}
