using System.Text;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Connection strings and <c>postgresql://</c> URLs as given on the command line.</summary>
internal static class ConnectionInput
{
    /// <summary>Parses a keyword connection string or URL with the core's parser; errors name the option.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string text, string optionName)
    {
        try
        {
            return CockroachConnectionString.IsUrl(text)
                ? CockroachConnectionString.ParseUrl(text)
                : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JwtSsoException)
        {
            throw new ToolException($"{optionName} is not a valid connection string or postgresql:// URL: {e.Message}", e);
        }
    }

    /// <summary>Puts the builder into JWT mode with the core's rules (refuses a password, merges the flag into Options).</summary>
    public static void EnableJwt(NpgsqlConnectionStringBuilder builder, string optionName)
    {
        try
        {
            CockroachConnectionString.EnableJwt(builder);
        }
        catch (JwtSsoException e)
        {
            throw new ToolException($"{optionName}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rewrites a <c>postgresql://</c> URL: puts the token in as the password, the user if the URL has none, and
    /// <c>options</c> = the JWT-mode options; everything else is kept as written.
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
        if (urlUser.Length == 0)
        {
            urlUser = Uri.EscapeDataString(user ?? string.Empty);
        }

        var queryStart = tail.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? tail : tail[..queryStart];
        var query = queryStart < 0 ? string.Empty : tail[(queryStart + 1)..];
        var kept = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("options=", StringComparison.OrdinalIgnoreCase) && !p.StartsWith("password=", StringComparison.OrdinalIgnoreCase))
            .ToList();
        kept.Add("options=" + EscapeQueryValue(options));
        return $"{text[..schemeEnd]}{urlUser}:{Uri.EscapeDataString(token)}@{hosts}{path}?{string.Join('&', kept)}";
    }

    /// <summary>Escapes only what a query value cannot hold, so <c>options=--crdb:jwt_auth_enabled=true</c> stays readable as in CockroachDB's docs.</summary>
    private static string EscapeQueryValue(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                ' ' => "%20",
                '&' => "%26",
                '#' => "%23",
                '%' => "%25",
                '+' => "%2B",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
