using System.Text.Json;
using Xunit;

namespace Npgsql.JwtSso.Tests;

public class JwtTokenTests
{
    [Fact]
    public void Parse_ReadsRegisteredClaimsAndHeader()
    {
        var text = TestJwt.Create(new { iss = "https://accounts.google.com", sub = "1234", aud = new[] { "a", "b" }, exp = 2000000000, iat = 1999996400, nbf = 1999996400 });

        var token = JwtToken.Parse(text + "\n");

        Assert.Equal(text, token.Value);
        Assert.Equal("https://accounts.google.com", token.Issuer);
        Assert.Equal("1234", token.Subject);
        Assert.Equal(["a", "b"], token.Audiences);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(2000000000), token.ExpiresOn);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1999996400), token.IssuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1999996400), token.NotBefore);
        Assert.Equal("RS256", token.Algorithm);
        Assert.Equal("test-kid", token.KeyId);
    }

    [Fact]
    public void Parse_SingleStringAudience_BecomesOneElement()
    {
        var token = JwtToken.Parse(TestJwt.Create(new { aud = "crdb" }));
        Assert.Equal(["crdb"], token.Audiences);
        Assert.Null(token.ExpiresOn);
    }

    [Theory]
    [InlineData("not-a-jwt", "3 dot-separated parts")]
    [InlineData("a.b.c.d.e", "JWE")]
    [InlineData("", "empty")]
    [InlineData("!!!.e30.sig", "header")]
    public void Parse_Malformed_ThrowsFormatExceptionWithoutTheText(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => JwtToken.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        if (text.Length > 3)
        {
            Assert.DoesNotContain(text, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_NonNumericExp_IsRejected()
    {
        var ex = Assert.Throws<FormatException>(() => JwtToken.Parse(TestJwt.Create(new { exp = "soon" })));
        Assert.Contains("'exp'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exp", 1e300)]
    [InlineData("exp", -1e300)]
    [InlineData("exp", 253402300800d)] // one second after 9999-12-31T23:59:59Z
    [InlineData("iat", 1e19)]
    [InlineData("nbf", -62135596801d)] // one second before 0001-01-01
    public void Parse_DateClaimOutsideDateRange_IsRejectedNamingTheClaim(string claim, double seconds)
    {
        var ex = Assert.Throws<FormatException>(() => JwtToken.Parse(TestJwt.Create(new Dictionary<string, object> { [claim] = seconds })));

        Assert.Contains($"'{claim}'", ex.Message, StringComparison.Ordinal);
        Assert.False(JwtToken.TryParse(TestJwt.Create(new Dictionary<string, object> { [claim] = seconds }), out _));
    }

    [Fact]
    public void Parse_ExpAtTheEndOfTheDateRange_IsAccepted()
    {
        var token = JwtToken.Parse(TestJwt.Create(new { exp = 253402300799L }));

        Assert.Equal(DateTimeOffset.MaxValue.AddTicks(-(DateTimeOffset.MaxValue.Ticks % TimeSpan.TicksPerSecond)), token.ExpiresOn);
    }

    [Fact]
    public async Task Cache_SourceReturnsExpFarOutsideDateRange_FailsWithInvalidToken()
    {
        var text = TestJwt.Create(new { sub = "bot", exp = 1e300 });
        using var cache = new JwtTokenCache(new DelegateTokenSource(_ => ValueTask.FromResult(text), "far-future"), null, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains("'exp'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverContainsTheTokenOrItsSignature()
    {
        var text = TestJwt.Create(new { iss = "i", sub = "s", exp = 2000000000 });
        var token = JwtToken.Parse(text);

        var shown = token.ToString();

        Assert.DoesNotContain(text, shown, StringComparison.Ordinal);
        foreach (var part in text.Split('.'))
        {
            Assert.DoesNotContain(part, shown, StringComparison.Ordinal);
        }

        Assert.Contains(token.Fingerprint, shown, StringComparison.Ordinal);
        Assert.Equal(12, token.Fingerprint.Length);
    }

    [Fact]
    public void GetPrincipals_FollowsCockroachClaimRules()
    {
        var token = JwtToken.Parse(TestJwt.Create(new { sub = "alice", groups = new object[] { "test_user2", 1, true }, num = 1, email = "a@x" }));

        Assert.Equal(["alice"], token.GetPrincipals());
        Assert.Equal(["alice"], token.GetPrincipals("sub"));
        Assert.Equal(["test_user2", "1", "true"], token.GetPrincipals("groups"));
        Assert.Equal(["1"], token.GetPrincipals("num"));
        Assert.Equal(["a@x"], token.GetPrincipals("email"));
        Assert.Null(token.GetPrincipals("missing"));
        Assert.Equal([string.Empty], JwtToken.Parse(TestJwt.Create(new { iss = "x" })).GetPrincipals());
    }

    [Fact]
    public void TryGetClaim_ReturnsCustomClaims()
    {
        var token = JwtToken.Parse(TestJwt.Create(new { cnf = new { jkt = "abc" } }));
        Assert.True(token.TryGetClaim("cnf", out var cnf));
        Assert.Equal(JsonValueKind.Object, cnf.ValueKind);
        Assert.False(token.TryGetClaim("nope", out _));
    }

    [Fact]
    public void WithRefreshOn_KeepsClaims()
    {
        var token = JwtToken.Parse(TestJwt.Create(new { sub = "s", exp = 2000000000 }));
        var hint = DateTimeOffset.FromUnixTimeSeconds(1999990000);
        var copy = token.WithRefreshOn(hint);
        Assert.Equal(hint, copy.RefreshOn);
        Assert.Equal(token.Value, copy.Value);
        Assert.Equal(token.ExpiresOn, copy.ExpiresOn);
        Assert.Equal("s", copy.Subject);
    }
}
