using Npgsql;
using Xunit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Npgsql.JwtSso.Tests.Cockroach;

/// <summary>The public faces the emulator and the CLI use: startup options, Go text, token parsing with a reason, username resolution, libpq parameters and the transport rule.</summary>
public sealed class CockroachPublicHelpersTests
{
    [Theory]
    [InlineData("--crdb:jwt_auth_enabled=true", true)]
    [InlineData("-c crdb:jwt-auth-enabled=T", true)]
    [InlineData("-ccrdb:JWT_AUTH_ENABLED=0", false)]
    [InlineData("-c search_path=x", null)]
    [InlineData(null, null)]
    public void StartupOptions_TryReadJwtFlag_ReadsEverySpelling(string? options, bool? expected)
    {
        Assert.True(CockroachStartupOptions.TryReadJwtFlag(options, out var enabled, out _));
        Assert.Equal(expected, enabled);
    }

    [Theory]
    [InlineData("crdb:jwt_auth_enabled=true", "08P01", "option \"crdb:jwt_auth_enabled=true\" is invalid, must have prefix '-c' or '--'")]
    [InlineData("--a=b=c", "08P01", "option \"--a=b=c\" is invalid, check '='")]
    [InlineData("--crdb:jwt_auth_enabled=yes", "22023", "crdb:jwt_auth_enabled: strconv.ParseBool: parsing \"yes\": invalid syntax")]
    public void StartupOptions_Malformed_ServerError(string options, string sqlState, string message)
    {
        Assert.False(CockroachStartupOptions.TryReadJwtFlag(options, out _, out var error));
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void StartupOptions_TryParse_NormalisesKeysAndHonoursEscapes()
    {
        Assert.True(CockroachStartupOptions.TryParse(@"-c search_path=a\ b --Crdb:JWT-Auth-Enabled=true", out var values, out _));
        Assert.Equal([new("search_path", "a b"), new("crdb:jwt_auth_enabled", "true")], values);
    }

    [Fact]
    public void MessageText_QuoteAndList_AreGoFormatting()
    {
        Assert.Equal("\"a\\\"b\\n\\x01\"", CockroachMessageText.Quote("a\"b\n\u0001"));
        Assert.Equal("[test_user1 test_user2]", CockroachMessageText.List(["test_user1", "test_user2"]));
    }

    [Fact]
    public void JwtToken_TryParseWithReason_NamesTheProblemWithoutTheToken()
    {
        Assert.False(JwtToken.TryParse("opaque-secret-access-token", out _, out var error));
        Assert.Contains("not a JWT", error, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-secret", error, StringComparison.Ordinal);
        Assert.True(JwtToken.TryParse(TestJwt.Create(new { sub = "bot" }), out var token, out error));
        Assert.Equal("bot", token.Subject);
        Assert.Empty(error);
    }

    [Fact]
    public void ResolveUsername_MappedPrincipal_GivesTheMappedUserOrTheFix()
    {
        var token = JwtToken.Parse(TestJwt.Create(new { iss = "issuer2", sub = "test2" }));
        Assert.True(IdentityMap.TryParse("issuer2 test2 test", ignoreCase: false, out var map, out _));

        Assert.Equal("test", CockroachJwtIdentity.ResolveUsername(token, null, null, map));
        var e = Assert.Throws<JwtSsoException>(() => CockroachJwtIdentity.ResolveUsername(token, "jwt_user", "sub", map, "file"));
        Assert.Equal(JwtSsoErrorKind.IdentityMismatch, e.Kind);
        Assert.Contains("token issued for [test2] and login was for jwt_user", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyLibpqParameter_MapsLikeUrls_AndRefusesUnknownNames()
    {
        var builder = new NpgsqlConnectionStringBuilder();

        CockroachConnectionString.ApplyLibpqParameter(builder, "sslmode", "verify-full");
        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.ApplyLibpqParameter(builder, "nonsense", "1"));

        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Contains("nonsense", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckTransport_Plaintext_RefusedUnlessAllowed()
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = "db", SslMode = SslMode.Disable };

        var e = Assert.Throws<JwtSsoException>(() => CockroachConnectionString.CheckTransport(builder, allowInsecureTransport: false, NullLogger.Instance));
        CockroachConnectionString.CheckTransport(builder, allowInsecureTransport: true, NullLogger.Instance);

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
    }
}
