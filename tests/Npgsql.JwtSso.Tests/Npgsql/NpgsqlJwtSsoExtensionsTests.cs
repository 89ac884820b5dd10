using Microsoft.Extensions.Logging;
using Xunit;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

public class NpgsqlJwtSsoExtensionsTests
{
    private const string Flag = "--crdb:jwt_auth_enabled=true";

    private static FakeReply RejectAudience(string? _) => new("28000", "JWT authentication: invalid audience", "token issued with an audience of [crdb]");

    private static FakeReply RejectExpired(string? _) => new("28000", "JWT authentication: invalid token", "unable to parse token: \"exp\" not satisfied");

    private static int CountFlag(string options) => options.Split(' ').Count(o => o == Flag);

    [Fact]
    public async Task OpenConnectionAsync_SendsCachedTokenAsPasswordAndMergedOptions()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource();
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Options=-c search_path=app"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true);
        await using var dataSource = await builder.BuildJwtSsoAsync();

        await using var connection = await dataSource.OpenConnectionAsync();

        var login = Assert.Single(server.Logins);
        Assert.Equal("alice", login.Startup["user"]);
        Assert.Equal("-c search_path=app " + Flag, login.Startup["options"]);
        Assert.Equal(1, CountFlag(login.Startup["options"]));
        Assert.Equal(source.Issued[0].Value, login.Password);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Open_FlagAlreadyPresentInOtherSpelling_NotDuplicated()
    {
        await using var server = new FakeCrdbServer();
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Options=-c crdb:jwt-auth-enabled=T"))
            .UseJwtSso(new CountingTokenSource(), o => o.AllowInsecureTransport = true);
        await using var dataSource = builder.BuildJwtSso();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal("-c crdb:jwt-auth-enabled=T", Assert.Single(server.Logins).Startup["options"]);
    }

    [Fact]
    public async Task Open_Pooled_ProviderAndSourceCalledOncePerPhysicalOpen()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource();
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        await (await dataSource.OpenConnectionAsync()).DisposeAsync();
        await (await dataSource.OpenConnectionAsync()).DisposeAsync();
        Assert.Single(server.Logins);

        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();

        Assert.Equal(2, server.Logins.Count);
        Assert.All(server.Logins, l => Assert.Equal(source.Issued[0].Value, l.Password));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task OpenConnection_Sync_SendsToken()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource();
        using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSso();

        using var connection = dataSource.OpenConnection();

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal(source.Issued[0].Value, Assert.Single(server.Logins).Password);
    }

    [Fact]
    public async Task PlainBuild_WithUsername_WorksThroughNpgsqlDataSource()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource();
        await using var dataSource = new NpgsqlSlimDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .Build();

        await using var connection = await dataSource.OpenConnectionAsync();
        using var syncConnection = dataSource.OpenConnection();

        Assert.Equal(2, server.Logins.Count);
        Assert.All(server.Logins, l => Assert.Equal(source.Issued[0].Value, l.Password));
    }

    [Fact]
    public async Task PlainBuild_WithoutUsername_OpenFailsNamingUsername()
    {
        await using var server = new FakeCrdbServer();
        await using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString())
            .UseJwtSso(new CountingTokenSource(), o => o.AllowInsecureTransport = true)
            .Build();

        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await dataSource.OpenConnectionAsync());

        var inner = e as JwtSsoException ?? Assert.IsType<JwtSsoException>(e.InnerException);
        Assert.Equal(JwtSsoErrorKind.Configuration, inner.Kind);
        Assert.Contains("Set Username=alice (the SQL user the token maps to)", inner.Message, StringComparison.Ordinal);
        Assert.Contains("BuildJwtSsoAsync()", inner.Message, StringComparison.Ordinal);
        Assert.Empty(server.Logins);
    }

    [Fact]
    public async Task Open_Rejected_OneLoginPerAttemptBecauseGssDisabled()
    {
        await using var server = new FakeCrdbServer(RejectAudience);
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(new CountingTokenSource(), o =>
            {
                o.AllowInsecureTransport = true;
                o.RetryRejectedOpen = false;
            });
        Assert.Equal(GssEncryptionMode.Disable, builder.ConnectionStringBuilder.GssEncryptionMode);
        await using var dataSource = await builder.BuildJwtSsoAsync();

        await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Single(server.Logins);
    }

    [Fact]
    public async Task Open_RejectedCachedToken_RetriedOnceWithFreshToken()
    {
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(password => password == source.Issued[0].Value ? RejectExpired(password) : FakeReply.Ok);
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal(2, source.Calls);
        Assert.Equal([source.Issued[0].Value, source.Issued[1].Value], server.Logins.Select(l => l.Password));
        Assert.True(dataSource.Cache.TryGetToken(out var cached));
        Assert.Equal(source.Issued[1].Value, cached.Value);
    }

    [Fact]
    public async Task OpenConnection_Sync_RejectedCachedToken_RetriedOnce()
    {
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(password => password == source.Issued[0].Value ? RejectExpired(password) : FakeReply.Ok);
        using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        using var connection = dataSource.OpenConnection();

        Assert.Equal(2, server.Logins.Count);
        Assert.Equal(source.Issued[1].Value, server.Logins[1].Password);
    }

    [Fact]
    public async Task Open_RejectedAgain_ThrowsServerRejectedWithHintAndNoTokenText()
    {
        var logs = new RecordingLoggerFactory();
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(RejectExpired);
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Include Error Detail=true"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true, logs)
            .BuildJwtSsoAsync();

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal(JwtSsoErrorKind.ServerRejected, e.Kind);
        Assert.Contains("JWT authentication: invalid token", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"exp\" not satisfied", e.Message, StringComparison.Ordinal);
        Assert.Contains("SafetyMargin", e.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(e.InnerException);
        Assert.Equal(2, server.Logins.Count);
        Assert.Equal(2, source.Calls);
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Warning && l.Text.Contains("retrying", StringComparison.Ordinal));
        foreach (var token in source.Issued)
        {
            Assert.DoesNotContain(token.Value, e.ToString(), StringComparison.Ordinal);
            Assert.All(logs.Entries, l => Assert.DoesNotContain(token.Value, l.Text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Open_RejectedWithoutIncludeErrorDetail_SaysHowToSeeDetail()
    {
        await using var server = new FakeCrdbServer(RejectAudience);
        await using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(new CountingTokenSource(), o => o.AllowInsecureTransport = true)
            .BuildJwtSso();

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Contains("Include Error Detail=true", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Detail redacted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FreshlyFetchedTokenRejected_NotRetried()
    {
        var source = new CountingTokenSource();
        await using var server = new FakeCrdbServer(RejectAudience);
        await using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(source, o => o.AllowInsecureTransport = true)
            .BuildJwtSso();

        await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Single(server.Logins);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Open_OtherServerErrorWithoutHint_PostgresExceptionUnchanged()
    {
        await using var server = new FakeCrdbServer(_ => new FakeReply("53300", "too many connections"));
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice"))
            .UseJwtSso(new CountingTokenSource(), o => o.AllowInsecureTransport = true)
            .BuildJwtSsoAsync();

        var e = await Assert.ThrowsAsync<PostgresException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal("53300", e.SqlState);
        Assert.Single(server.Logins);
    }

    [Fact]
    public async Task BuildJwtSsoAsync_NoUsername_DerivedFromClaimThroughIdentityMap()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource(sub: "Carl@example.com");
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString())
            .UseJwtSso(source, o =>
            {
                o.AllowInsecureTransport = true;
                o.IdentityMap = @"https://issuer.test /^(.*)@example\.com$ app_\1";
            })
            .BuildJwtSsoAsync();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal("app_carl", dataSource.Username);
        Assert.Equal("app_carl", Assert.Single(server.Logins).Startup["user"]);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task UseJwtSso_SharedCache_EachDataSourceHasItsOwnIdentityMapAndTransportRule()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource(sub: "Carl@example.com");
        using var cache = new JwtTokenCache(source);
        await using var orders = await new NpgsqlDataSourceBuilder(server.ConnectionString())
            .UseJwtSso(cache, o =>
            {
                o.AllowInsecureTransport = true;
                o.IdentityMap = @"https://issuer.test /^(.*)@example\.com$ orders_\1";
            })
            .BuildJwtSsoAsync();
        await using var reports = await new NpgsqlSlimDataSourceBuilder(server.ConnectionString())
            .UseJwtSso(cache, o =>
            {
                o.AllowInsecureTransport = true;
                o.IdentityMap = @"https://issuer.test /^(.*)@example\.com$ reports_\1";
            })
            .BuildJwtSsoAsync();

        // A third data source on the same cache keeps the default transport rule, so the plaintext server is refused.
        var strict = Assert.Throws<JwtSsoException>(() => new NpgsqlDataSourceBuilder(server.ConnectionString("Username=carl")).UseJwtSso(cache));
        await using (await orders.OpenConnectionAsync())
        await using (await reports.OpenConnectionAsync())
        {
        }

        Assert.Equal("orders_carl", orders.Username);
        Assert.Equal("reports_carl", reports.Username);
        Assert.Equal(["orders_carl", "reports_carl"], server.Logins.Select(l => l.Startup["user"]));
        Assert.Contains("AllowInsecureTransport", strict.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Calls);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "app_carl")]
    public async Task BuildJwtSsoAsync_IdentityMapIgnoreCase_MatchesOnlyWhenOn(bool ignoreCase, string? expected)
    {
        var builder = new NpgsqlDataSourceBuilder("Host=127.0.0.1;SSL Mode=VerifyFull")
            .UseJwtSso(new CountingTokenSource(sub: "Carl@EXAMPLE.com"), o =>
            {
                o.IdentityMap = @"https://issuer.test /^(.*)@example\.com$ app_\1";
                o.IdentityMapIgnoreCase = ignoreCase;
            });

        if (expected is null)
        {
            await Assert.ThrowsAsync<JwtSsoException>(async () => await builder.BuildJwtSsoAsync());
        }
        else
        {
            await using var dataSource = await builder.BuildJwtSsoAsync();
            Assert.Equal(expected, dataSource.Username);
        }
    }

    [Fact]
    public async Task BuildJwtSso_Sync_NoUsername_DerivedFromSubject()
    {
        await using var server = new FakeCrdbServer();
        await using var dataSource = new NpgsqlSlimDataSourceBuilder(server.ConnectionString())
            .UseJwtSso(new CountingTokenSource(sub: "bob"), o => o.AllowInsecureTransport = true)
            .BuildJwtSso();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal("bob", Assert.Single(server.Logins).Startup["user"]);
    }

    [Fact]
    public async Task BuildJwtSsoAsync_UsernameNotAccepted_IdentityMismatchNamingFix()
    {
        await using var server = new FakeCrdbServer();
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=bob"))
            .UseJwtSso(new CountingTokenSource(sub: "alice"), o => o.AllowInsecureTransport = true);

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await builder.BuildJwtSsoAsync());

        Assert.Equal(JwtSsoErrorKind.IdentityMismatch, e.Kind);
        Assert.Contains("'bob'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[alice]", e.Message, StringComparison.Ordinal);
        Assert.Contains("https://issuer.test", e.Message, StringComparison.Ordinal);
        Assert.Contains("'sub'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'https://issuer.test alice bob'", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Logins);
    }

    [Fact]
    public async Task OpenConnectionAsync_UsernameNotAccepted_CheckedOnFirstTokenBeforeSending()
    {
        await using var server = new FakeCrdbServer();
        await using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=bob"))
            .UseJwtSso(new CountingTokenSource(sub: "alice"), o => o.AllowInsecureTransport = true)
            .BuildJwtSso();

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal(JwtSsoErrorKind.IdentityMismatch, e.Kind);
        Assert.All(server.Logins, l => Assert.Null(l.Password));
    }

    [Fact]
    public async Task BuildJwtSsoAsync_VerifyUsernameOff_MismatchAllowed()
    {
        await using var server = new FakeCrdbServer();
        await using var dataSource = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=bob"))
            .UseJwtSso(new CountingTokenSource(sub: "alice"), o =>
            {
                o.AllowInsecureTransport = true;
                o.VerifyUsername = false;
            })
            .BuildJwtSsoAsync();

        await using var connection = await dataSource.OpenConnectionAsync();

        Assert.Equal("bob", Assert.Single(server.Logins).Startup["user"]);
    }

    [Fact]
    public async Task BuildJwtSsoAsync_ReservedUser_IdentityMismatchSaysReserved()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=127.0.0.1;Username=root;SSL Mode=VerifyFull")
            .UseJwtSso(new CountingTokenSource(sub: "root"));

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await builder.BuildJwtSsoAsync());

        Assert.Equal(JwtSsoErrorKind.IdentityMismatch, e.Kind);
        Assert.Contains("reserved", e.Message, StringComparison.Ordinal);
        Assert.Contains("'root'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildJwtSsoAsync_ArrayClaimSeveralUsersNoUsername_AsksForUsername()
    {
        var source = new ClaimTokenSource(new { iss = "i", sub = "x", groups = new[] { "a", "b" }, exp = 4102444800 });
        var builder = new NpgsqlDataSourceBuilder("Host=127.0.0.1;SSL Mode=VerifyFull")
            .UseJwtSso(source, o => o.PrincipalClaim = "groups");

        var e = await Assert.ThrowsAsync<JwtSsoException>(async () => await builder.BuildJwtSsoAsync());

        Assert.Contains("several SQL users [a b]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Password=secret", "Password")]
    [InlineData("Passfile=/tmp/pgpass", "Passfile")]
    public void UseJwtSso_StaticPassword_RefusedSayingTokenIsPassword(string extra, string keyword)
    {
        var builder = new NpgsqlDataSourceBuilder($"Host=h;Username=u;SSL Mode=VerifyFull;{extra}");

        var e = Assert.Throws<JwtSsoException>(() => builder.UseJwtSso(new CountingTokenSource()));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains(keyword, e.Message, StringComparison.Ordinal);
        Assert.Contains("the token is the password", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SSL Mode=Prefer")]
    [InlineData("SSL Mode=Require")]
    [InlineData("SSL Mode=Disable")]
    public void UseJwtSso_WeakSslMode_RefusedNamingSslMode(string extra)
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;" + extra);

        var e = Assert.Throws<JwtSsoException>(() => builder.UseJwtSso(new CountingTokenSource()));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("SSL Mode", e.Message, StringComparison.Ordinal);
        Assert.Contains("VerifyFull", e.Message, StringComparison.Ordinal);
        Assert.Contains("AllowInsecureTransport", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SSL Mode=VerifyFull")]
    [InlineData("SSL Mode=VerifyCA;Root Certificate=/etc/cluster/ca.crt")]
    public void UseJwtSso_VerifiedTls_AcceptedAndConnectionStringPrepared(string extra)
    {
        var builder = new NpgsqlSlimDataSourceBuilder("Host=h;Username=u;" + extra).UseJwtSso(new CountingTokenSource());

        Assert.Equal(Flag, builder.ConnectionStringBuilder.Options);
        Assert.Equal(GssEncryptionMode.Disable, builder.ConnectionStringBuilder.GssEncryptionMode);
    }

    [Fact]
    public void UseJwtSso_InsecureAllowed_LogsWarningNamingSslMode()
    {
        var logs = new RecordingLoggerFactory();
        new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=Disable")
            .UseJwtSso(new CountingTokenSource(), o => o.AllowInsecureTransport = true, logs);

        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Warning && l.Text.Contains("SSL Mode=Disable", StringComparison.Ordinal));
    }

    [Fact]
    public void UseJwtSso_ExplicitGssMode_Kept()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull;GSS Encryption Mode=Prefer")
            .UseJwtSso(new CountingTokenSource());

        Assert.Equal(GssEncryptionMode.Prefer, builder.ConnectionStringBuilder.GssEncryptionMode);
    }

    [Fact]
    public void UseJwtSso_OptionsTurnFlagOff_Refused()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull;Options=--crdb:jwt_auth_enabled=false");

        var e = Assert.Throws<JwtSsoException>(() => builder.UseJwtSso(new CountingTokenSource()));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("crdb:jwt_auth_enabled=false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseJwtSso_InvalidIdentityMap_RefusedNamingOption()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull");

        var e = Assert.Throws<JwtSsoException>(() => builder.UseJwtSso(new CountingTokenSource(), o => o.IdentityMap = "only two"));

        Assert.Contains("JwtSsoConnectionOptions.IdentityMap", e.Message, StringComparison.Ordinal);
        Assert.Contains("unable to parse line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseJwtSso_CalledTwice_Refused()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull").UseJwtSso(new CountingTokenSource());

        Assert.Throws<JwtSsoException>(() => builder.UseJwtSso(new CountingTokenSource()));
    }

    [Fact]
    public void BuildJwtSso_SslModeWeakenedAfterUseJwtSso_Refused()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull").UseJwtSso(new CountingTokenSource());
        builder.ConnectionStringBuilder.SslMode = SslMode.Prefer;

        var e = Assert.Throws<JwtSsoException>(() => builder.BuildJwtSso());

        Assert.Contains("SSL Mode=Prefer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildJwtSso_PasswordAddedAfterUseJwtSso_Refused()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=u;SSL Mode=VerifyFull").UseJwtSso(new CountingTokenSource());
        builder.ConnectionStringBuilder.Password = "pw";

        Assert.Equal(JwtSsoErrorKind.Configuration, Assert.Throws<JwtSsoException>(() => builder.BuildJwtSso()).Kind);
    }

    [Fact]
    public void BuildJwtSso_WithoutUseJwtSso_InvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => new NpgsqlDataSourceBuilder("Host=h;Username=u").BuildJwtSso());
    }

    [Fact]
    public async Task UseJwtSso_SharedCache_NotDisposedWithDataSource()
    {
        await using var server = new FakeCrdbServer();
        var source = new CountingTokenSource();
        using var cache = new JwtTokenCache(source);
        var one = await new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice")).UseJwtSso(cache, o => o.AllowInsecureTransport = true).BuildJwtSsoAsync();
        await using var two = await new NpgsqlSlimDataSourceBuilder(server.ConnectionString("Username=alice")).UseJwtSso(cache, o => o.AllowInsecureTransport = true).BuildJwtSsoAsync();
        await one.DisposeAsync();

        await using var connection = await two.OpenConnectionAsync();

        Assert.Same(cache, two.Cache);
        Assert.Equal(1, source.Calls);
    }

    private sealed class ClaimTokenSource(object payload) : JwtTokenSource
    {
        public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
            => new(JwtToken.Parse(TestJwt.Create(payload)));
    }
}
