using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>What binding client-credentials options from configuration checks before the binding generator runs.</summary>
internal static class ClientCredentialsBinding
{
    /// <summary>
    /// Refuses a <c>Certificate</c> key with the alternatives: a certificate with its private key is set in code
    /// (<see cref="ClientCredentialsTokenSourceOptions.UseCertificate"/>), which strict binding alone would only call an unknown key.
    /// </summary>
    public static void RefuseCertificate(IConfiguration configuration)
    {
        if (configuration.GetChildren().FirstOrDefault(c => string.Equals(c.Key, "Certificate", StringComparison.OrdinalIgnoreCase)) is { } certificate)
        {
            throw new InvalidOperationException(
                $"'{certificate.Path}' cannot be set from configuration: a certificate with its private key is set in code "
                + $"({nameof(ClientCredentialsTokenSourceOptions.UseCertificate)}, for example with a certificate from X509CertificateLoader); "
                + $"in configuration give the key as {nameof(ClientCredentialsTokenSourceOptions.PrivateKeyPem)} or {nameof(ClientCredentialsTokenSourceOptions.PrivateKeyJwk)}");
        }
    }
}
