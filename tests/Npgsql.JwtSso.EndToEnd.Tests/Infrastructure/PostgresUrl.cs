namespace Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

/// <summary>Converts a libpq-style <c>postgresql://</c> URL (what CockroachDB prints) to an Npgsql connection string builder.</summary>
internal static class PostgresUrl
{
    public static NpgsqlConnectionStringBuilder Parse(string url)
    {
        var uri = new Uri(url);
        if (uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new ArgumentException($"{EndToEndTarget.CockroachUrlVariable} must be a postgresql:// URL, for example postgresql://root@localhost:26257/defaultdb?sslmode=verify-full&sslrootcert=certs/ca.crt");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 26257 : uri.Port,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "defaultdb",
            GssEncryptionMode = GssEncryptionMode.Disable,
            SslMode = SslMode.Require,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        builder.Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "root";
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (kv[0])
            {
                case "sslmode":
                    builder.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => SslMode.Require,
                    };
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "sslcert":
                    builder.SslCertificate = value;
                    break;
                case "sslkey":
                    builder.SslKey = value;
                    break;
                case "options":
                    builder.Options = value;
                    break;
            }
        }

        return builder;
    }
}
