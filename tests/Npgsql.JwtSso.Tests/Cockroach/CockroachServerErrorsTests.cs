using Xunit;

namespace Npgsql.JwtSso.Tests.Cockroach;

public class CockroachServerErrorsTests
{
    private static readonly JwtToken Token = JwtToken.Parse(TestJwt.Create(
        new { iss = "https://issuer.test", sub = "alice@example.com", aud = new[] { "a1", "a2" }, exp = 4102444800 },
        new { alg = "RS256", kid = "k-42", typ = "JWT" }));

    private static string Hint(string message, string? detail = null, string sqlState = "28000", string? user = "bob")
        => CockroachServerErrors.GetHint(sqlState, message, detail, Token, null, user) ?? "<none>";

    [Theory]
    [InlineData("JWT authentication: not enabled", null, "server.jwt_authentication.enabled")]
    [InlineData("JWT authentication: invalid issuer", "token issued by https://issuer.test", "server.jwt_authentication.issuers.configuration")]
    [InlineData("JWT authentication: invalid issuer", null, "'https://issuer.test'")]
    [InlineData("JWT authentication: invalid audience", null, "server.jwt_authentication.audience")]
    [InlineData("JWT authentication: invalid audience", null, "[a1 a2]")]
    [InlineData("JWT authentication: invalid token", "unable to parse token: \"exp\" not satisfied", "clock")]
    [InlineData("JWT authentication: invalid token", "unable to parse token: \"iat\" not satisfied", "clock")]
    [InlineData("JWT authentication: invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"k-42\" in key set", "server.jwt_authentication.jwks")]
    [InlineData("JWT authentication: invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"k-42\" in key set", "'k-42'")]
    [InlineData("JWT authentication: invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"k-42\" in key set", "jwks_auto_fetch.enabled")]
    [InlineData("JWT authentication: unable to validate token", null, "jwks_auto_fetch")]
    [InlineData("JWT authentication: missing claim", "token does not contain a claim for groups", "server.jwt_authentication.claim")]
    [InlineData("JWT authentication: invalid principal", "token issued for [alice@example.com] and login was for bob", "server.identity_map.configuration")]
    [InlineData("JWT authentication: invalid principal", "token issued for [alice@example.com] and login was for bob", "'https://issuer.test alice@example.com bob'")]
    [InlineData("JWT authentication: invalid identity", "cannot use JWT auth to login to a reserved user root", "reserved")]
    [InlineData("JWT authorization: empty group list", null, "group_claim")]
    public void GetHint_JwtReasons_NameTheSettingToFix(string message, string? detail, string expected)
        => Assert.Contains(expected, Hint(message, detail), StringComparison.Ordinal);

    [Fact]
    public void GetHint_PasswordAuthenticationFailed_UserMissingOrOptionLost()
    {
        var hint = Hint("password authentication failed for user bob", sqlState: "28P01");

        Assert.Contains("CREATE USER bob", hint, StringComparison.Ordinal);
        Assert.Contains("--crdb:jwt_auth_enabled=true", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void GetHint_SslRequired_NamesSslMode()
        => Assert.Contains("SSL Mode=VerifyFull", Hint("node is running secure mode, SSL connection required", sqlState: "08P01"), StringComparison.Ordinal);

    [Fact]
    public void GetHint_NoLoginPrivilege_NamesAlterUser()
        => Assert.Contains("ALTER USER bob WITH LOGIN", Hint("bob does not have login privilege"), StringComparison.Ordinal);

    [Fact]
    public void GetHint_BadFlagValue_NamesOptions()
        => Assert.Contains("Options", Hint("crdb:jwt_auth_enabled: strconv.ParseBool: parsing \"yes\": invalid syntax", sqlState: "22023"), StringComparison.Ordinal);

    [Fact]
    public void GetHint_UnrelatedError_Null()
        => Assert.Null(CockroachServerErrors.GetHint("42P01", "relation \"t\" does not exist", null));

    [Fact]
    public void ToJwtSsoException_KeepsMessageDetailAndInnerAndNeverTheToken()
    {
        var pg = new PostgresException("JWT authentication: invalid audience", "FATAL", "FATAL", "28000", "token issued with an audience of [a1 a2]");

        var e = CockroachServerErrors.ToJwtSsoException(pg, Token, null, "bob");

        Assert.NotNull(e);
        Assert.Equal(JwtSsoErrorKind.ServerRejected, e.Kind);
        Assert.Same(pg, e.InnerException);
        Assert.Contains("JWT authentication: invalid audience", e.Message, StringComparison.Ordinal);
        Assert.Contains("token issued with an audience of [a1 a2]", e.Message, StringComparison.Ordinal);
        Assert.Contains("28000", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Value, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IsJwtRejection_OnlyFor28000JwtMessages()
    {
        Assert.True(CockroachServerErrors.IsJwtRejection(new PostgresException("JWT authentication: invalid token", "FATAL", "FATAL", "28000")));
        Assert.False(CockroachServerErrors.IsJwtRejection(new PostgresException("JWT authorization: empty group list", "FATAL", "FATAL", "28000")));
        Assert.False(CockroachServerErrors.IsJwtRejection(new PostgresException("password authentication failed for user u", "FATAL", "FATAL", "28P01")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("email")]
    public void GetHint_MissingClaim_NamesTheClaimFromTheDetailNeverContradictingIt(string? principalClaim)
    {
        // The cluster's claim setting is 'email'; the application may not have told us (PrincipalClaim unset, so 'sub').
        var hint = CockroachServerErrors.GetHint("28000", "JWT authentication: missing claim", "token does not contain a claim for email", Token, principalClaim, "bob")!;

        Assert.Contains("no 'email' claim", hint, StringComparison.Ordinal);
        Assert.Contains("include 'email'", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("no 'sub' claim", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("such as sub", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void GetHint_MissingClaimWithoutDetail_NamesThePrincipalClaim()
    {
        var hint = CockroachServerErrors.GetHint("28000", "JWT authentication: missing claim", null, Token, "groups", "bob")!;

        Assert.Contains("no 'groups' claim", hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("28000", "JWT authentication: invalid token", "unable to parse token: \"exp\" not satisfied", JwtRejectionKind.Expired)]
    [InlineData("28000", "JWT authentication: invalid token", "unable to parse token: \"iat\" not satisfied", JwtRejectionKind.NotYetValid)]
    [InlineData("28000", "JWT authentication: invalid token", "unable to parse token: \"nbf\" not satisfied", JwtRejectionKind.NotYetValid)]
    [InlineData("28000", "JWT authentication: invalid token", "unable to parse token: key provider 0 failed: failed to find key with key ID \"test2\" in key set", JwtRejectionKind.SigningKey)]
    [InlineData("28000", "JWT authentication: invalid token", "unable to parse token: could not verify message using any of the signatures or keys", JwtRejectionKind.SigningKey)]
    [InlineData("28000", "JWT authentication: invalid token", null, JwtRejectionKind.Unexplained)]
    [InlineData("28000", "JWT authentication: invalid token", "Detail redacted as it may contain sensitive data. Specify 'Include Error Detail' in the connection string to include this information.", JwtRejectionKind.Unexplained)]
    [InlineData("28000", "JWT authentication: invalid token", "token parsing failed: invalid JWT", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: invalid token", "unable to parse token: failed to find matching key: no key ID (\"kid\") specified in token", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: not enabled", null, JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: invalid issuer", "token issued by issuer1", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: invalid audience", "token issued with an audience of [test_cluster]", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: invalid principal", "token issued for [test] and login was for jwt_user", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: invalid identity", "cannot use JWT auth to login to a reserved user root", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: missing claim", "token does not contain a claim for groups", JwtRejectionKind.Configuration)]
    [InlineData("28000", "JWT authentication: unable to validate token", null, JwtRejectionKind.Configuration)]
    [InlineData("28P01", "password authentication failed for user bob", null, JwtRejectionKind.Configuration)]
    [InlineData("28000", "bob does not have login privilege", null, JwtRejectionKind.Configuration)]
    [InlineData("53300", "too many connections", null, JwtRejectionKind.None)]
    public void ClassifyRejection_ServerMessages_OnlyExpiryKeyAndTimeAreRetryable(string sqlState, string message, string? detail, JwtRejectionKind expected)
        => Assert.Equal(expected, CockroachServerErrors.ClassifyRejection(sqlState, message, detail));
}
