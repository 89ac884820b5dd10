using System.Globalization;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// Connection strings for JWT logins to CockroachDB: reads the <c>postgresql://</c> URLs CockroachDB prints and puts
/// keyword connection strings into JWT mode.
/// </summary>
public static class CockroachConnectionString
{
    /// <summary>The port CockroachDB listens on for SQL by default, used when a URL names none.</summary>
    public const int DefaultPort = 26257;

    /// <summary>
    /// Returns the connection string (keyword form, or a <c>postgresql://</c> URL) in keyword form with
    /// <c>--crdb:jwt_auth_enabled=true</c> merged into <c>Options</c> (not duplicated when present in any accepted spelling).
    /// </summary>
    /// <param name="connectionString">An Npgsql keyword connection string or a <c>postgresql://</c> / <c>postgres://</c> URL.</param>
    /// <returns>The keyword connection string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">It has a password or passfile (the token is the password), its Options turn JWT off or are malformed, or the URL is invalid.</exception>
    public static string EnableJwt(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var builder = IsUrl(connectionString) ? ParseUrl(connectionString) : ParseKeywords(connectionString);
        EnableJwt(builder);
        return builder.ConnectionString;
    }

    /// <summary>Puts a connection-string builder into JWT mode in place: refuses Password/Passfile and merges the flag into <c>Options</c>.</summary>
    /// <param name="builder">The builder to change.</param>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">It has a password or passfile, or its Options turn JWT off or are malformed.</exception>
    public static void EnableJwt(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ConnectionStringGuard.RefuseStaticPassword(builder);
        builder.Options = CrdbStartupOptions.MergeJwtFlag(builder.Options);
    }

    /// <summary>Returns whether the text is a <c>postgresql://</c> or <c>postgres://</c> URL rather than keyword pairs.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns><see langword="true"/> for a URL.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is <see langword="null"/>.</exception>
    public static bool IsUrl(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var text = connectionString.TrimStart();
        return text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Parses a libpq-style URL as CockroachDB prints it
    /// (<c>postgresql://user@host:26257/db?sslmode=verify-full&amp;sslrootcert=certs/ca.crt&amp;options=…</c>) into Npgsql settings.
    /// Supports percent-encoding, IPv6 hosts in brackets, several hosts (<c>h1:26257,h2:26258</c>) and the parameters
    /// <c>sslmode</c>, <c>sslrootcert</c>, <c>sslcert</c>, <c>sslkey</c>, <c>sslpassword</c>, <c>sslnegotiation</c>,
    /// <c>gssencmode</c>, <c>options</c>, <c>application_name</c>, <c>connect_timeout</c>, <c>search_path</c>,
    /// <c>target_session_attrs</c>, <c>user</c>, <c>dbname</c>, <c>host</c>, <c>port</c>. The port defaults to 26257.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <returns>The settings (not yet in JWT mode; see <see cref="EnableJwt(NpgsqlConnectionStringBuilder)"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The URL is malformed, has an unknown parameter (named in the message) or carries a password (never echoed).</exception>
    public static NpgsqlConnectionStringBuilder ParseUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return PostgresUrl.Parse(url.Trim());
    }

    private static NpgsqlConnectionStringBuilder ParseKeywords(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                string.Create(CultureInfo.InvariantCulture, $"The connection string is not valid for Npgsql: {e.Message}"), e);
        }
    }
}
