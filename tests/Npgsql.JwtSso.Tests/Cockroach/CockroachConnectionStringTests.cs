using Xunit;

namespace Npgsql.JwtSso.Tests.Cockroach;

public class CockroachConnectionStringTests
{
    [Fact]
    public void ParseUrl_CockroachPrintedUrl_AllSettings()
    {
        var b = CockroachConnectionString.ParseUrl(
            "postgresql://root@localhost:26257/defaultdb?sslcert=certs%2Fclient.root.crt&sslkey=certs%2Fclient.root.key&sslmode=verify-full&sslrootcert=certs%2Fca.crt");

        Assert.Equal("root", b.Username);
        Assert.Equal("localhost", b.Host);
        Assert.Equal(26257, b.Port);
        Assert.Equal("defaultdb", b.Database);
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
        Assert.Equal("certs/ca.crt", b.RootCertificate);
        Assert.Equal("certs/client.root.crt", b.SslCertificate);
        Assert.Equal("certs/client.root.key", b.SslKey);
    }

    [Fact]
    public void ParseUrl_PostgresSchemeAndPercentDecoding()
    {
        var b = CockroachConnectionString.ParseUrl("postgres://sso%5Fcarl@db.example.com:26258/my%20db?application_name=my%2Bapp&options=--cluster%3Dtenant-1%20-c%20search_path%3Dapp&connect_timeout=7&search_path=x");

        Assert.Equal("sso_carl", b.Username);
        Assert.Equal(26258, b.Port);
        Assert.Equal("my db", b.Database);
        Assert.Equal("my+app", b.ApplicationName);
        Assert.Equal("--cluster=tenant-1 -c search_path=app", b.Options);
        Assert.Equal(7, b.Timeout);
        Assert.Equal("x", b.SearchPath);
    }

    [Fact]
    public void ParseUrl_Ipv6Host_Unbracketed()
    {
        var b = CockroachConnectionString.ParseUrl("postgresql://u@[::1]:26257/db");

        Assert.Equal("::1", b.Host);
        Assert.Equal(26257, b.Port);
    }

    [Fact]
    public void ParseUrl_MultiHost_HostListWithPorts()
    {
        var b = CockroachConnectionString.ParseUrl("postgresql://u@host1:26257,host2:26258,[::1]/db?target_session_attrs=any");

        Assert.Equal("host1:26257,host2:26258,[::1]:26257", b.Host);
        Assert.Equal("any", b.TargetSessionAttributes);
    }

    [Fact]
    public void ParseUrl_NoPort_DefaultsToCockroachPort()
        => Assert.Equal(26257, CockroachConnectionString.ParseUrl("postgresql://u@h/db").Port);

    [Theory]
    [InlineData("postgresql://u@h/db?sslmode=disable", SslMode.Disable)]
    [InlineData("postgresql://u@h/db?sslmode=require", SslMode.Require)]
    [InlineData("postgresql://u@h/db?sslmode=verify-ca", SslMode.VerifyCA)]
    public void ParseUrl_SslModes(string url, SslMode expected)
        => Assert.Equal(expected, CockroachConnectionString.ParseUrl(url).SslMode);

    [Fact]
    public void ParseUrl_PasswordInUserInfo_RefusedWithoutEchoingIt()
    {
        var token = TestJwt.Create(new { sub = "u" });

        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.ParseUrl($"postgresql://u:{token}@h:26257/db?options=--crdb:jwt_auth_enabled=true"));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("password", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..10], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUrl_PasswordParameter_Refused()
    {
        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.ParseUrl("postgresql://u@h/db?password=hunter2"));

        Assert.Contains("'password'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUrl_EmptyPassword_Accepted()
        => Assert.Equal("u", CockroachConnectionString.ParseUrl("postgresql://u:@h/db").Username);

    [Fact]
    public void ParseUrl_UnknownParameter_NamedInError()
    {
        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.ParseUrl("postgresql://u@h/db?sslmode=verify-full&frobnicate=1"));

        Assert.Contains("'frobnicate'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://u@h/db", "postgresql://")]
    [InlineData("postgresql://u@h:99999/db", "port")]
    [InlineData("postgresql://u@h:abc/db", "port")]
    [InlineData("postgresql://u@[::1/db", "']'")]
    [InlineData("postgresql://u@h/db?sslmode=verify_full", "verify-full")]
    [InlineData("postgresql://u@h/d%zzb", "percent-encoding")]
    [InlineData("postgresql://u@h/db?connect_timeout=x", "connect_timeout")]
    public void ParseUrl_Malformed_ConfigurationErrorSayingWhat(string url, string expected)
    {
        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.ParseUrl(url));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnableJwt_Url_KeywordStringWithFlagMerged()
    {
        var text = CockroachConnectionString.EnableJwt("postgresql://carl@h:26257/db?sslmode=verify-full&options=--cluster%3Dt1");
        var b = new NpgsqlConnectionStringBuilder(text);

        Assert.Equal("--cluster=t1 --crdb:jwt_auth_enabled=true", b.Options);
        Assert.Equal("carl", b.Username);
        Assert.Equal(SslMode.VerifyFull, b.SslMode);
    }

    [Theory]
    [InlineData("Host=h;Username=u", "--crdb:jwt_auth_enabled=true")]
    [InlineData("Host=h;Username=u;Options=--crdb:jwt_auth_enabled=true", "--crdb:jwt_auth_enabled=true")]
    [InlineData("Host=h;Username=u;Options=-c search_path=a", "-c search_path=a --crdb:jwt_auth_enabled=true")]
    public void EnableJwt_Keywords_FlagOnce(string input, string expectedOptions)
        => Assert.Equal(expectedOptions, new NpgsqlConnectionStringBuilder(CockroachConnectionString.EnableJwt(input)).Options);

    [Theory]
    [InlineData("Host=h;Password=p")]
    [InlineData("Host=h;Passfile=/x")]
    [InlineData("Host=h;Options=--crdb:jwt_auth_enabled=false")]
    [InlineData("Host=h;NoSuchKeyword=1")]
    public void EnableJwt_Conflicts_ConfigurationError(string input)
        => Assert.Equal(JwtSsoErrorKind.Configuration, Assert.Throws<JwtSsoException>(() => CockroachConnectionString.EnableJwt(input)).Kind);

    [Theory]
    [InlineData("postgresql://h", true)]
    [InlineData("  POSTGRES://h", true)]
    [InlineData("Host=h", false)]
    public void IsUrl_DetectsScheme(string text, bool expected)
        => Assert.Equal(expected, CockroachConnectionString.IsUrl(text));
}
