using System.Globalization;
using System.Text;

namespace Npgsql.JwtSso.Internal;

/// <summary>A libpq connection URI parser that never echoes the user-info part (it may hold a token).</summary>
internal static class PostgresUrl
{
    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? string.Empty : url[..schemeEnd];
        if (!scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw Error("The connection URL must start with 'postgresql://' or 'postgres://'.");
        }

        var rest = url[(schemeEnd + 3)..];
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var query = string.Empty;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var path = string.Empty;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            path = rest[(slash + 1)..];
            rest = rest[..slash];
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            ApplyUserInfo(builder, rest[..at]);
            rest = rest[(at + 1)..];
        }

        ApplyHosts(builder, rest, UrlForm);
        if (path.Length > 0)
        {
            builder.Database = Decode(path, "database name");
        }

        ApplyQuery(builder, query);
        return builder;
    }

    private const string UrlForm = "The connection URL";

    private static void ApplyUserInfo(NpgsqlConnectionStringBuilder builder, string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && colon < userInfo.Length - 1)
        {
            throw Error(LooksLikeJwt(userInfo[(colon + 1)..])
                ? "The connection URL contains a token as its password ('user:<token>@host'), as 'crdb-jwt url' prints it for psql and cockroach sql. The library fetches and refreshes the token itself, and a pasted token would expire within the hour: pass the URL without it (postgresql://user@host…, the URL given to 'crdb-jwt url --connection'), and treat the pasted token as leaked if it was stored."
                : "The connection URL contains a password ('user:password@host'). With JWT single sign-on the token is the password and is supplied by the token source: remove the password from the URL (and treat the URL as leaked if it held a real token).");
        }

        var user = colon >= 0 ? userInfo[..colon] : userInfo;
        if (user.Length > 0)
        {
            builder.Username = Decode(user, "user name");
        }
    }

    private static void ApplyHosts(NpgsqlConnectionStringBuilder builder, string hostList, string form)
    {
        if (hostList.Length == 0)
        {
            return;
        }

        var entries = new List<(string Host, int Port)>();
        foreach (var entry in hostList.Split(','))
        {
            entries.Add(SplitHostPort(entry, form));
        }

        if (entries.Count == 1)
        {
            builder.Host = entries[0].Host;
            builder.Port = entries[0].Port;
            return;
        }

        builder.Host = string.Join(',', entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{(e.Host.Contains(':', StringComparison.Ordinal) ? "[" + e.Host + "]" : e.Host)}:{e.Port}")));
    }

    private static (string Host, int Port) SplitHostPort(string entry, string form)
    {
        string host;
        string? port = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error($"{form} has an IPv6 host without a closing ']': '{entry}'.");
            }

            host = entry[1..close];
            var after = entry[(close + 1)..];
            if (after.Length > 0)
            {
                port = after.StartsWith(':') ? after[1..] : throw Error($"{form} has unexpected text after the IPv6 host: '{entry}'.");
            }
        }
        else
        {
            var colon = entry.LastIndexOf(':');
            host = colon >= 0 ? entry[..colon] : entry;
            port = colon >= 0 ? entry[(colon + 1)..] : null;
        }

        host = Decode(host, "host");
        if (host.Length == 0)
        {
            throw Error($"{form} has an empty host in its host list.");
        }

        return (host, port is null or "" ? CockroachConnectionString.DefaultPort : ParsePort(port, form));
    }

    private static int ParsePort(string text, string form)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw Error($"{form} has an invalid port '{text}': expected a number from 1 to 65535.");

    private static void ApplyQuery(NpgsqlConnectionStringBuilder builder, string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pair : pair[..eq], "parameter name");
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..], $"parameter '{name}'");
            ApplyParameter(builder, name, value, UrlForm);
        }
    }

    /// <summary>
    /// Applies one libpq parameter (a URL query parameter or a <c>key=value</c> pair of a libpq connection string) to
    /// the builder; <paramref name="form"/> names the input in errors ("The connection URL").
    /// </summary>
    internal static void ApplyParameter(NpgsqlConnectionStringBuilder builder, string name, string value, string form)
    {
        switch (name)
        {
            case "sslmode": builder.SslMode = ParseSslMode(value, form); break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "sslcert": builder.SslCertificate = value; break;
            case "sslkey": builder.SslKey = value; break;
            case "sslpassword": builder.SslPassword = value; break;
            case "sslnegotiation": builder.SslNegotiation = ParseEnum<SslNegotiation>(form, name, value, ("postgres", SslNegotiation.Postgres), ("direct", SslNegotiation.Direct)); break;
            case "gssencmode": builder.GssEncryptionMode = ParseEnum<GssEncryptionMode>(form, name, value, ("disable", GssEncryptionMode.Disable), ("prefer", GssEncryptionMode.Prefer), ("require", GssEncryptionMode.Require)); break;
            case "options": builder.Options = value; break;
            case "application_name": builder.ApplicationName = value; break;
            case "connect_timeout": builder.Timeout = ParseSeconds(form, name, value); break;
            case "search_path": builder.SearchPath = value; break;
            case "target_session_attrs": builder.TargetSessionAttributes = value; break;
            case "user": builder.Username = value; break;
            case "dbname": builder.Database = value; break;
            case "host": ApplyHosts(builder, value, form); break;
            case "port": builder.Port = ParsePort(value, form); break;
            case "password":
                throw Error($"{form} has a 'password' parameter. With JWT single sign-on the token is the password and is supplied by the token source: remove it.");
            case "passfile":
                throw Error($"{form} has a 'passfile' parameter. With JWT single sign-on the token is the password and is supplied by the token source: remove it.");
            default:
                throw Error($"{form} has the parameter '{name}', which is not supported here. Supported: sslmode, sslrootcert, sslcert, sslkey, sslpassword, sslnegotiation, gssencmode, options, application_name, connect_timeout, search_path, target_session_attrs, user, dbname, host, port.");
        }
    }

    private static SslMode ParseSslMode(string value, string form) => ParseEnum<SslMode>(form, "sslmode", value,
        ("disable", SslMode.Disable), ("allow", SslMode.Allow), ("prefer", SslMode.Prefer), ("require", SslMode.Require),
        ("verify-ca", SslMode.VerifyCA), ("verify-full", SslMode.VerifyFull));

    private static T ParseEnum<T>(string form, string name, string value, params (string Text, T Value)[] choices)
    {
        foreach (var (text, choice) in choices)
        {
            if (text == value)
            {
                return choice;
            }
        }

        throw Error($"{form}'s '{name}' is '{value}'; expected one of: {string.Join(", ", choices.Select(c => c.Text))}.");
    }

    private static int ParseSeconds(string form, string name, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw Error($"{form}'s '{name}' must be a whole number of seconds, not '{value}'.");

    private static string Decode(string text, string what)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
                continue;
            }

            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                throw Error($"The connection URL has an invalid percent-encoding in the {what}.");
            }

            bytes.Add(b);
            i += 2;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    // Three base64url segments (header.payload.signature), as in a JWS compact serialization; never echoed.
    private static bool LooksLikeJwt(string text)
    {
        var decoded = text.Replace("%2E", ".", StringComparison.OrdinalIgnoreCase);
        var parts = decoded.Split('.');
        return parts.Length == 3 && parts[0].StartsWith("eyJ", StringComparison.Ordinal)
            && parts.All(p => p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private static JwtSsoException Error(string message) => new(JwtSsoErrorKind.Configuration, null, message);
}
