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

    public static void CheckTransport(NpgsqlConnectionStringBuilder csb, JwtSsoOptions options, ILogger logger)
    {
        if (csb.SslMode is SslMode.VerifyFull or SslMode.VerifyCA)
        {
            return;
        }

        if (!options.AllowInsecureTransport)
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                $"SSL Mode={csb.SslMode} would send the token, which is the password, without verifying the server's certificate. Set 'SSL Mode=VerifyFull' (with 'Root Certificate=<path to the cluster's ca.crt>') in the connection string. For an insecure development cluster only, set JwtSsoOptions.AllowInsecureTransport = true.");
        }

        Log.InsecureTransport(logger, csb.SslMode);
    }

    private static bool IsSetExplicitly(NpgsqlConnectionStringBuilder csb, string[] keywords)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers for every known keyword; the text lists only those set.
        var plain = new DbConnectionStringBuilder { ConnectionString = csb.ConnectionString };
        return keywords.Any(plain.ContainsKey);
    }
}
