using Xunit;

namespace Npgsql.JwtSso.Tests.Cockroach;

public class CockroachJwtIdentityTests
{
    private static JwtToken Token(object payload) => JwtToken.Parse(TestJwt.Create(payload));

    [Theory]
    [InlineData("Alice", "alice")]
    [InlineData("ÉMILE", "émile")]
    [InlineData("e\u0301", "\u00e9")]
    [InlineData("with space@X", "with space@x")]
    public void NormalizeUsername_LowerCaseAndNfc(string input, string expected)
        => Assert.Equal(expected, CockroachJwtIdentity.NormalizeUsername(input));

    [Theory]
    [InlineData("root", true)]
    [InlineData("ROOT", true)]
    [InlineData("public", true)]
    [InlineData("none", true)]
    [InlineData("node", true)]
    [InlineData("pg_monitor", true)]
    [InlineData("crdb_internal_x", true)]
    [InlineData("rooted", false)]
    [InlineData("crdb_internal", false)]
    [InlineData("alice", false)]
    public void IsReservedUsername_CockroachList(string name, bool expected)
        => Assert.Equal(expected, CockroachJwtIdentity.IsReservedUsername(name));

    [Fact]
    public void Resolve_WrongSubject_InvalidPrincipalWithServerDetail()
    {
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer1", sub = "test_user1" }), null, null);

        Assert.True(r.Succeeded);
        Assert.Equal(["test_user1"], r.AcceptedUsernames);
        Assert.False(r.CheckUsername("invalid_user", out _, out var reason, out var detail));
        Assert.Equal("invalid principal", reason);
        Assert.Equal("token issued for [test_user1] and login was for invalid_user", detail);
    }

    [Fact]
    public void Resolve_SubjectCaseDiffers_MatchesAfterNormalisation()
    {
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "i", sub = "Alice" }), "sub", null);

        Assert.True(r.CheckUsername("ALICE", out var user, out _, out _));
        Assert.Equal("alice", user);
    }

    [Fact]
    public void Resolve_MissingCustomClaim_MissingClaimDetail()
    {
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer1", sub = "x" }), "groups", null);

        Assert.False(r.Succeeded);
        Assert.Equal("missing claim", r.FailureReason);
        Assert.Equal("token does not contain a claim for groups", r.FailureDetail);
        Assert.False(r.CheckUsername("x", out _, out var reason, out _));
        Assert.Equal("missing claim", reason);
    }

    [Fact]
    public void Resolve_IntegerClaimThroughMap_MapsToUser()
    {
        var map = IdentityMap.Parse("issuer2 1 test_user1");
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer2", sub = "x", groups = 1 }), "groups", map);

        Assert.Equal(["1"], r.Principals);
        Assert.True(r.CheckUsername("test_user1", out _, out _, out _));
    }

    [Fact]
    public void Resolve_ArrayClaim_EitherUserAcceptedEmptyUserAmbiguous()
    {
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer2", sub = "x", groups = new[] { "test_user2", "test_user1" } }), "groups", null);

        Assert.Equal(["test_user2", "test_user1"], r.AcceptedUsernames);
        Assert.True(r.CheckUsername("test_user1", out _, out _, out _));
        Assert.True(r.CheckUsername("test_user2", out _, out _, out _));
        Assert.False(r.CheckUsername(string.Empty, out _, out var reason, out var detail));
        Assert.Equal("invalid principal", reason);
        Assert.Equal("token issued for [test_user2 test_user1] and login was for ", detail);
    }

    [Fact]
    public void Resolve_SingleClaimEmptyUser_ResolvesToThatUser()
    {
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer2", groups = "test_user1" }), "groups", null);

        Assert.True(r.CheckUsername(null, out var user, out _, out _));
        Assert.Equal("test_user1", user);
    }

    [Fact]
    public void Resolve_MapPresentNoMatch_InvalidPrincipalWithIssuer()
    {
        var map = IdentityMap.Parse("issuer2 test_user1 test_user2");
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer2", sub = "test_user2" }), null, map);

        Assert.True(r.IssuerHasMap);
        Assert.False(r.Succeeded);
        Assert.Equal("invalid principal", r.FailureReason);
        Assert.Equal("the value [test_user2] for the issuer issuer2 is invalid", r.FailureDetail);
    }

    [Fact]
    public void Resolve_MapReplacesRawPrincipal()
    {
        var map = IdentityMap.Parse("issuer2 test_user1 test_user2");
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer2", sub = "test_user1" }), null, map);

        Assert.False(r.CheckUsername("test_user1", out _, out var reason, out var detail));
        Assert.Equal("invalid principal", reason);
        Assert.Equal("token issued for [test_user1] and login was for test_user1", detail);
        Assert.True(r.CheckUsername("test_user2", out _, out _, out _));
    }

    [Fact]
    public void Resolve_MapForOtherIssuer_RawPrincipalAccepted()
    {
        var map = IdentityMap.Parse("issuer2 test_user1 test_user2");
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "issuer1", sub = "test_user1" }), null, map);

        Assert.False(r.IssuerHasMap);
        Assert.True(r.CheckUsername("test_user1", out _, out _, out _));
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData("svc", "iss svc root")]
    [InlineData("pg_x", null)]
    public void Resolve_ReservedUser_InvalidIdentity(string sub, string? mapText)
    {
        var map = mapText is null ? null : IdentityMap.Parse(mapText);
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "iss", sub }), null, map);
        var user = r.AcceptedUsernames[0];

        Assert.False(r.CheckUsername(user, out _, out var reason, out var detail));
        Assert.Equal("invalid identity", reason);
        Assert.Equal($"cannot use JWT auth to login to a reserved user {user}", detail);
    }

    [Fact]
    public void Resolve_GoldenVectorIssuer2_MapsTest2ToTest()
    {
        var map = IdentityMap.Parse("issuer2 test2 test");
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { aud = "test_cluster", exp = 2661264269, iat = 1661263957, iss = "issuer2", sub = "test2" }), null, map);

        Assert.True(r.CheckUsername("test", out _, out _, out _));
        Assert.False(r.CheckUsername("jwt_user", out _, out _, out var detail));
        Assert.Equal("token issued for [test2] and login was for jwt_user", detail);
    }

    [Fact]
    public void Resolve_NoSubject_EmptyPrincipal()
    {
        var r = CockroachJwtIdentity.ResolveAcceptedUsernames(Token(new { iss = "iss" }), null, null);

        Assert.Equal([string.Empty], r.Principals);
        Assert.False(r.CheckUsername("alice", out _, out var reason, out _));
        Assert.Equal("invalid principal", reason);
    }
}
