using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Internal;

/// <summary>Puts a connection string into JWT mode and refuses settings that cannot work with it.</summary>
internal static class ConnectionStringGuard
{
    private static readonly string[] GssKeywords = ["GSS Encryption Mode", "GssEncryptionMode", "GssEncMode"];

    /// <summary>Refuses Password/Passfile, checks TLS, merges the JWT flag into Options, disables GSS encryption unless set.</summary>
    /// <exception cref="JwtSsoException">A setting conflicts with JWT single sign-on; the message names it and the fix.</exception>
    public static void Apply(NpgsqlConnectionStringBuilder csb, JwtSsoOptions options, ILogger logger)
    {
        RefuseStaticPassword(csb);
        CheckTransport(csb, options, logger);
        csb.Options = CrdbStartupOptions.MergeJwtFlag(csb.Options);
        if (!IsSetExplicitly(csb, GssKeywords))
        {
            // With the default (Prefer) an auth failure makes Npgsql retry without GSS: two token sends per rejection.
            csb.GssEncryptionMode = GssEncryptionMode.Disable;
        }
    }

    public static void RefuseStaticPassword(NpgsqlConnectionStringBuilder csb)
    {
        if (!string.IsNullOrEmpty(csb.Password))
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                "The connection string has a Password, but with JWT single sign-on the token is the password: it is fetched and refreshed by the token source. Remove Password from the connection string.");
        }

        if (!string.IsNullOrEmpty(csb.Passfile))
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                "The connection string has a Passfile, but with JWT single sign-on the token is the password: it is fetched and refreshed by the token source. Remove Passfile from the connection string.");
        }
    }

    /// <summary>
    /// The transport rule, in one place for the library, the password callback and the <c>crdb-jwt</c> tool: the token is
    /// the password, so it goes only to a server whose certificate is verified. <c>VerifyFull</c> passes;
    /// <c>VerifyCA</c> passes only with an explicit <c>Root Certificate</c> (a private CA, expected to issue certificates
    /// only to the cluster's nodes) and is logged as a warning naming VerifyFull; everything else is refused unless
    /// <paramref name="allowInsecureTransport"/> is set (then logged as a warning).
    /// </summary>
    /// <param name="csb">The connection settings the token would travel under.</param>
    /// <param name="allowInsecureTransport">The value of <see cref="JwtSsoOptions.AllowInsecureTransport"/>.</param>
    /// <param name="logger">Receives the warning; pass a null logger when it was already logged.</param>
    /// <exception cref="JwtSsoException"><see cref="JwtSsoErrorKind.Configuration"/>: the transport could hand the token to another server.</exception>
    public static void CheckTransport(NpgsqlConnectionStringBuilder csb, bool allowInsecureTransport, ILogger logger)
    {
        if (TransportRefusal(csb.SslMode, csb.RootCertificate) is not { } refusal)
        {
            if (csb.SslMode == SslMode.VerifyCA)
            {
                Log.VerifyCaWithPrivateRoot(logger);
            }

            return;
        }

        if (!allowInsecureTransport)
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, refusal);
        }

        Log.InsecureTransport(logger, csb.SslMode);
    }

    /// <inheritdoc cref="CheckTransport(NpgsqlConnectionStringBuilder, bool, ILogger)" />
    public static void CheckTransport(NpgsqlConnectionStringBuilder csb, JwtSsoOptions options, ILogger logger)
        => CheckTransport(csb, options.AllowInsecureTransport, logger);

    /// <summary>Returns why the token must not travel under these settings, or <see langword="null"/> when it may.</summary>
    public static string? TransportRefusal(SslMode sslMode, string? rootCertificate)
    {
        const string Fix = "Set 'SSL Mode=VerifyFull' (with 'Root Certificate=<path to the cluster's ca.crt>') in the connection string. For an insecure development cluster only, set JwtSsoOptions.AllowInsecureTransport = true.";
        return sslMode switch
        {
            SslMode.VerifyFull => null,
            SslMode.VerifyCA when !string.IsNullOrWhiteSpace(rootCertificate) => null,
            SslMode.VerifyCA => $"SSL Mode=VerifyCA without a Root Certificate would send the token, which is the password, to any server holding a certificate from a publicly trusted CA, for any host name. {Fix}",
            _ => $"SSL Mode={sslMode} would send the token, which is the password, without verifying the server's certificate. {Fix}",
        };
    }

    private static bool IsSetExplicitly(NpgsqlConnectionStringBuilder csb, string[] keywords)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers for every known keyword; the text lists only those set.
        var plain = new DbConnectionStringBuilder { ConnectionString = csb.ConnectionString };
        return keywords.Any(plain.ContainsKey);
    }
}
