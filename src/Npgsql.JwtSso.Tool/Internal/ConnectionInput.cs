using System.Text;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>The three forms of connection text people paste.</summary>
internal enum ConnectionForm
{
    /// <summary>A <c>postgresql://</c> URL.</summary>
    Url,

    /// <summary>A libpq <c>key=value</c> string (<c>host=… user=… sslmode=…</c>), as psql takes it.</summary>
    Libpq,

    /// <summary>An Npgsql connection string (<c>Host=…;Username=…</c>).</summary>
    Npgsql,
}

/// <summary>A connection as given on the command line: its form, its settings and (for libpq) its pairs as written.</summary>
internal sealed record ConnectionInput(ConnectionForm Form, string Text, NpgsqlConnectionStringBuilder Builder, IReadOnlyList<(string Key, string Value)> Pairs)
{
    private const string Forms = "a postgresql:// URL, a libpq string (host=… port=26257 user=… sslmode=verify-full) or an Npgsql connection string (Host=…;Port=26257;Username=…)";

    /// <summary>Parses the text in whichever of the three forms it is; errors name the option, the form and never echo a password.</summary>
    public static ConnectionInput Parse(string text, string optionName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ToolException($"{optionName} is empty: give {Forms}.");
        }

        try
        {
            if (CockroachConnectionString.IsUrl(text))
            {
                return new(ConnectionForm.Url, text.Trim(), CockroachConnectionString.ParseUrl(text), []);
            }

            if (LibpqString.TryParse(text, out var pairs))
            {
                var builder = new NpgsqlConnectionStringBuilder();
                foreach (var (key, value) in pairs)
                {
                    CockroachConnectionString.ApplyLibpqParameter(builder, key, value);
                }

                return new(ConnectionForm.Libpq, text.Trim(), builder, pairs);
            }

            return new(ConnectionForm.Npgsql, text.Trim(), ParseNpgsql(text, optionName), []);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException($"{optionName}: {e.Message}", e);
        }
    }

    /// <summary>Puts the builder into JWT mode with the core's rules (refuses a password, merges the flag into Options).</summary>
    public void EnableJwt(string optionName)
    {
        try
        {
            CockroachConnectionString.EnableJwt(Builder);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException($"{optionName}: {e.Message}", e);
        }
    }

    /// <summary>Prints the connection back in its own form with the token as the password, the user and the JWT options.</summary>
    public string Render(string token)
        => Form switch
        {
            ConnectionForm.Url => RewriteUrl(Text, Builder.Username, token, Builder.Options!),
            ConnectionForm.Libpq => RewriteLibpq(token),
            _ => new NpgsqlConnectionStringBuilder(Builder.ConnectionString) { Password = token }.ConnectionString,
        };

    /// <summary>The user-facing name of the form, for messages.</summary>
    public string FormName => Form switch
    {
        ConnectionForm.Url => "postgresql:// URL",
        ConnectionForm.Libpq => "libpq key=value string",
        _ => "Npgsql connection string",
    };

    private static NpgsqlConnectionStringBuilder ParseNpgsql(string text, string optionName)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ToolException($"{optionName} is not a connection string in any known form: expected {Forms}.", e);
        }

        if (string.IsNullOrEmpty(builder.Host) || builder.Host.Contains('=', StringComparison.Ordinal) || builder.Host.Contains(' ', StringComparison.Ordinal))
        {
            throw new ToolException($"{optionName} names no usable host: expected {Forms}.");
        }

        return builder;
    }

    /// <summary>
    /// Rewrites a <c>postgresql://</c> URL: puts the token in as the password, the user if the URL has none, and
    /// <c>options</c> = the JWT-mode options (percent-encoded, as libpq requires for '=' in a query value); everything
    /// else is kept exactly as written.
    /// </summary>
    public static string RewriteUrl(string url, string? user, string token, string options)
    {
        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = text[schemeEnd..];
        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        var at = authority.LastIndexOf('@');
        var hosts = at < 0 ? authority : authority[(at + 1)..];
        var userInfo = at < 0 ? string.Empty : authority[..at];
        var urlUser = userInfo.Split(':', 2)[0];
        var hasUserParameter = false;
        var queryStart = tail.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? tail : tail[..queryStart];
        var query = queryStart < 0 ? string.Empty : tail[(queryStart + 1)..];
        var kept = new List<string>();
        foreach (var p in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = p.Split('=', 2)[0];
            if (name.Equals("options", StringComparison.OrdinalIgnoreCase) || name.Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            hasUserParameter |= name.Equals("user", StringComparison.OrdinalIgnoreCase);
            kept.Add(p);
        }

        if (urlUser.Length == 0 && !hasUserParameter)
        {
            urlUser = Uri.EscapeDataString(user ?? string.Empty);
        }

        kept.Add("options=" + EscapeQueryValue(options));
        return $"{text[..schemeEnd]}{urlUser}:{Uri.EscapeDataString(token)}@{hosts}{path}?{string.Join('&', kept)}";
    }

    private string RewriteLibpq(string token)
    {
        var sb = new StringBuilder();
        var hasUser = false;
        foreach (var (key, value) in Pairs)
        {
            if (key is "options" or "password")
            {
                continue;
            }

            hasUser |= key == "user";
            Append(sb, key, value);
        }

        if (!hasUser && !string.IsNullOrEmpty(Builder.Username))
        {
            Append(sb, "user", Builder.Username);
        }

        Append(sb, "password", token);
        Append(sb, "options", Builder.Options!);
        return sb.ToString();

        static void Append(StringBuilder sb, string key, string value)
            => sb.Append(sb.Length == 0 ? string.Empty : " ").Append(key).Append('=').Append(LibpqString.Quote(value));
    }

    /// <summary>
    /// Percent-encodes a query value for libpq, which splits on '=' and '&amp;': everything but unreserved characters
    /// and ':' is encoded, so <c>--crdb:jwt_auth_enabled=true</c> becomes <c>--crdb:jwt_auth_enabled%3Dtrue</c>.
    /// </summary>
    public static string EscapeQueryValue(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
