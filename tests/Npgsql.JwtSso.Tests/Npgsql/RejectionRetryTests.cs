using Xunit;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

/// <summary>
/// Issue 12 items 3 and 4: an open is retried only where a fresh token (expiry, rotated key) or the same token a
/// moment later (iat/nbf in the cluster's future) can change the answer. Messages are the cluster's own.
/// </summary>
public class RejectionRetryTests
{
    private const string InvalidToken = "JWT authentication: invalid token";

    public static TheoryData<string, string, string?> ConfigurationRejections => new()
    {
        { "28000", "JWT authentication: not enabled", null },
        { "28000", "JWT authentication: invalid issuer", "token issued by https://issuer.test" },
        { "28000", "JWT authentication: invalid audience", "token issued with an audience of [crdb]" },
        { "28000", "JWT authentication: invalid principal", "token issued for [alice] and login was for alice" },
        { "28000", "JWT authentication: invalid identity", "cannot use JWT auth to login to a reserved user root" },
        { "28000", "JWT authentication: missing claim", "token does not contain a claim for email" },
        { "28000", "JWT authentication: unable to validate token", null },
        { "28000", InvalidToken, "token parsing failed: failed to parse token: invalid character 'x' looking for beginning of value" },
        { "28000", InvalidToken, "unable to parse token: failed to find matching key: no key ID (\"kid\") specified in token" },
        { "28000", "JWT authorization: empty group list", null },
        { "28P01", "password authentication failed for user alice", null },
        { "28000", "alice does not have login privilege", null },
    };

    public static TheoryData<string?> FreshTokenRejections => new()
    {
        "unable to parse token: \"exp\" not satisfied",
        "unable to parse token: key provider 0 failed: failed to find key with key ID \"k-old\" in key set",
        "unable to parse token: could not verify message using any of the signatures or keys",
        null, // DETAIL hidden by Npgsql (no Include Error Detail): may be expiry, worth one fresh token
    };

    [Theory]
    [MemberData(nameof(ConfigurationRejections))]
    public async Task Open_ConfigurationRejection_FailsAtOnceWithHintNoFetchNoSecondLogin(string sqlState, string message, string? detail)
    {
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(_ => new FakeReply(sqlState, message, detail));
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync(); // the token is cached now, as after an earlier successful period

        for (var open = 1; open <= 3; open++)
        {
            var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

            Assert.Equal(JwtSsoErrorKind.ServerRejected, e.Kind);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
            Assert.Contains("Hint: ", e.Message, StringComparison.Ordinal);
            Assert.Equal(open, server.Logins.Count); // one login per open
        }

        Assert.Equal(1, source.Calls); // no identity-provider call after the first token
    }

    [Theory]
    [MemberData(nameof(FreshTokenRejections))]
    public async Task Open_CachedTokenRejectedForAReasonAFreshTokenFixes_RetriedOnceWithAFreshToken(string? detail)
    {
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(password => password == source.Issued[0].Value ? new FakeReply("28000", InvalidToken, detail) : FakeReply.Ok);
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice" + (detail is null ? string.Empty : ";Include Error Detail=true")))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(2, source.Calls);
        Assert.Equal([source.Issued[0].Value, source.Issued[1].Value], server.Logins.Select(l => l.Password));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open_SourceHandsBackTheRejectedTokenUnchanged_NotResentNotInvalidatedAgainNoFetchPerOpen(bool sync)
    {
        var source = new ConstantTokenSource(TestJwt.WithExpiry(TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1), "alice", "https://issuer.test"));
        await using var server = new FakeCrdbServer(_ => new FakeReply("28000", InvalidToken, "unable to parse token: \"exp\" not satisfied"));
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        // First open: the cached token is rejected, dropped and fetched again; the source hands back the same text,
        // which is not sent a second time.
        var first = sync
            ? Assert.Throws<JwtSsoException>(() => dataSource.OpenConnection())
            : await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());
        Assert.Contains("\"exp\" not satisfied", first.Message, StringComparison.Ordinal);
        Assert.Contains("handed back the same token", first.Message, StringComparison.Ordinal);
        Assert.Single(server.Logins);
        Assert.Equal(2, source.Calls);

        // Later opens: the same rejection of the same token fingerprint is not retried: one login, no fetch.
        for (var open = 2; open <= 4; open++)
        {
            var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());
            Assert.Contains("SafetyMargin", e.Message, StringComparison.Ordinal);
            Assert.Equal(open, server.Logins.Count);
        }

        Assert.Equal(2, source.Calls);
        Assert.All(server.Logins, l => Assert.Equal(source.Token, l.Password));
    }

    [Theory]
    [InlineData("iat", false)]
    [InlineData("nbf", false)]
    [InlineData("iat", true)]
    public async Task Open_TokenNotYetValidOnTheClustersClock_SameTokenResentOnceItsTimeHasCome(string claim, bool sync)
    {
        // The cluster's clock (shared with the client here) is at S + 0.5 s; the identity provider's, a little ahead,
        // stamped the token S + 1 s. The cluster compares whole seconds with zero skew.
        var second = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var clock = new TestTime(second.AddMilliseconds(500));
        var stamp = second.AddSeconds(1).ToUnixTimeSeconds();
        var token = claim == "iat"
            ? TestJwt.Create(new { iss = "https://issuer.test", sub = "alice", aud = "crdb", iat = stamp, exp = stamp + 3600 })
            : TestJwt.Create(new { iss = "https://issuer.test", sub = "alice", aud = "crdb", nbf = stamp, exp = stamp + 3600 });
        var source = new ConstantTokenSource(token);
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, clock);
        await using var server = new FakeCrdbServer(_ => clock.GetUtcNow().ToUnixTimeSeconds() < stamp
            ? new FakeReply("28000", InvalidToken, $"unable to parse token: \"{claim}\" not satisfied")
            : FakeReply.Ok);
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(cache, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        var open = sync ? Task.Run(() => dataSource.OpenConnection()) : dataSource.OpenConnectionAsync().AsTask();
        var wait = await clock.NextShortTimerAsync();
        Assert.Single(server.Logins);
        Assert.False(open.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(1), wait); // 0.5 s until the stamp plus the 0.5 s pad, within the 2 s bound
        clock.Advance(wait);
        await using var connection = await open;

        Assert.Equal([token, token], server.Logins.Select(l => l.Password));
        Assert.Equal(1, source.Calls); // the same token, not a fetch
    }

    [Fact]
    public async Task Open_TokenNotYetValidForLongerThanTheBound_FailsAtOnceWithTheClockHint()
    {
        var now = TimeProvider.System.GetUtcNow();
        var clock = new TestTime(now);
        var stamp = now.AddSeconds(10).ToUnixTimeSeconds();
        var token = TestJwt.Create(new { iss = "https://issuer.test", sub = "alice", aud = "crdb", iat = stamp, exp = stamp + 3600 });
        var source = new ConstantTokenSource(token);
        using var cache = new JwtTokenCache(source, new JwtTokenCacheOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, clock);
        await using var server = new FakeCrdbServer(_ => new FakeReply("28000", InvalidToken, "unable to parse token: \"iat\" not satisfied"));
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(cache, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Contains("clock", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Logins);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Open_RetryRejectedOpenOff_ExpiredCachedTokenNotRetried()
    {
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(_ => new FakeReply("28000", InvalidToken, "unable to parse token: \"exp\" not satisfied"));
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(source, o =>
            {
                o.AllowInsecureTransport = true;
                o.RetryRejectedOpen = false;
            })
            .BuildJwtSsoAsync();

        await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Single(server.Logins);
        Assert.Equal(1, source.Calls);
    }
}
