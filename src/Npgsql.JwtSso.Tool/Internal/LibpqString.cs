using System.Text;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>libpq's <c>key=value</c> connection strings (<c>host=db port=26257 user=bot options='-c x=1'</c>).</summary>
internal static class LibpqString
{
    // libpq's keywords (lower case, as libpq requires); an Npgsql string ("Host=…;…") never matches all of them.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "options", "application_name",
        "fallback_application_name", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslnegotiation",
        "sslcrl", "sslcrldir", "sslsni", "gssencmode", "connect_timeout", "target_session_attrs", "client_encoding",
        "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "search_path",
        "require_auth", "channel_binding", "service", "load_balance_hosts", "krbsrvname", "gsslib", "replication",
    };

    /// <summary>Parses the text as libpq pairs; <see langword="false"/> when it is not that form (for example an Npgsql string).</summary>
    public static bool TryParse(string text, out List<(string Key, string Value)> pairs)
    {
        pairs = [];
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                return pairs.Count > 0;
            }

            var keyStart = i;
            while (i < text.Length && (char.IsAsciiLetterLower(text[i]) || char.IsAsciiDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            var key = text[keyStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (!Keywords.Contains(key) || i == text.Length || text[i] != '=')
            {
                return false;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (!TryReadValue(text, ref i, out var value))
            {
                return false;
            }

            pairs.Add((key, value));
        }
    }

    /// <summary>Quotes a value for a libpq string when it needs it (empty, spaces, quotes, backslashes).</summary>
    public static string Quote(string value)
        => value.Length > 0 && value.All(c => !char.IsWhiteSpace(c) && c is not '\'' and not '\\')
            ? value
            : "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static bool TryReadValue(string text, ref int i, out string value)
    {
        var sb = new StringBuilder();
        value = string.Empty;
        if (i < text.Length && text[i] == '\'')
        {
            i++;
            while (i < text.Length && text[i] != '\'')
            {
                if (text[i] == '\\' && i + 1 < text.Length)
                {
                    i++;
                }

                sb.Append(text[i++]);
            }

            if (i == text.Length)
            {
                return false; // unterminated quote
            }

            i++;
            value = sb.ToString();
            return true;
        }

        while (i < text.Length && !char.IsWhiteSpace(text[i]))
        {
            if (text[i] == ';')
            {
                return false; // "host=x;port=1" is an Npgsql string
            }

            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            sb.Append(text[i++]);
        }

        value = sb.ToString();
        return true;
    }
}
