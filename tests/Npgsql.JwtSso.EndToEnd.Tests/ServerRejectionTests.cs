using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

namespace Npgsql.JwtSso.EndToEnd.Tests;

/// <summary>
/// What a caller of <see cref="JwtSsoDataSource"/> sees when the cluster refuses the token: the server's message plus a
/// hint naming the setting or claim to fix, and one retry with a fresh token when a cached token is rejected.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ServerRejectionTests(EndToEndFixture fixture)
{
    public static TheoryData<JwtDefects, string, string> Rejections => new()
    {
        { JwtDefects.WrongIssuer, "JWT authentication: invalid issuer", "server.jwt_authentication.issuers.configuration" },
        { JwtDefects.WrongAudience, "JWT authentication: invalid audience", "server.jwt_authentication.audience" },
        { JwtDefects.UnregisteredKey, "JWT authentication: invalid token", "server.jwt_authentication.jwks" },
        { JwtDefects.MissingKeyId, "JWT authentication: invalid token", "server.jwt_authentication.jwks" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task OpenConnectionAsync_ClusterRejectsToken_ServerMessageAndHintNamingTheSetting(JwtDefects defect, string serverMessage, string setting)
    {
        var source = new CountingTokenSource(() => fixture.Issuer.MintToken(new JwtMintOptions { Subject = EndToEndFixture.DefaultUser, Audience = fixture.Audience, Lifetime = TimeSpan.FromHours(1), Defects = defect }));
        await using var dataSource = Build(source);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal(JwtSsoErrorKind.ServerRejected, ex.Kind);
        Assert.Contains(serverMessage, ex.Message, StringComparison.Ordinal);
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(source.LastToken!, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, source.Calls); // the token was fetched for this open: retrying it would repeat the rejection
    }

    [Fact]
    public async Task OpenConnectionAsync_TokenForAnotherUser_InvalidPrincipalWithTheIdentityMapLineToAdd()
    {
        var source = new CountingTokenSource(() => fixture.MintToken("someone_else"));
        await using var dataSource = Build(source, o => o.VerifyUsername = false); // let the cluster decide, to see its answer

        var ex = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal(JwtSsoErrorKind.ServerRejected, ex.Kind);
        Assert.Contains("JWT authentication: invalid principal", ex.Message, StringComparison.Ordinal);
        Assert.Contains("server.identity_map.configuration", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"someone_else {EndToEndFixture.DefaultUser}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildJwtSsoAsync_TokenForAnotherUser_RefusedBeforeConnectingNamingBothUsers()
    {
        var source = new CountingTokenSource(() => fixture.MintToken("someone_else"));
        var builder = new NpgsqlDataSourceBuilder(fixture.CreateConnectionStringBuilder(includeJwtOption: false).ConnectionString);
        builder.UseJwtSso(source);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(async () => await builder.BuildJwtSsoAsync());

        Assert.Equal(JwtSsoErrorKind.IdentityMismatch, ex.Kind);
        Assert.Contains("someone_else", ex.Message, StringComparison.Ordinal);
        Assert.Contains(EndToEndFixture.DefaultUser, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenConnectionAsync_ExpiredOnArrival_RefusedByTheCacheBeforeTheTokenIsSent()
    {
        var source = new CountingTokenSource(() => fixture.Issuer.MintToken(new JwtMintOptions { Subject = EndToEndFixture.DefaultUser, Audience = fixture.Audience, Defects = JwtDefects.Expired }));
        await using var dataSource = Build(source);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains("SafetyMargin", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("JWT authentication:", ex.Message, StringComparison.Ordinal); // never reached the cluster's check
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task OpenConnectionAsync_CachedTokenSignedWithARetiredKey_RetriedOnceWithAFreshToken()
    {
        // The first token is signed with a key the cluster does not (or no longer) list, as after a key rotation; the
        // second is signed with the current key.
        var source = new CountingTokenSource(() => fixture.Issuer.MintToken(new JwtMintOptions { Subject = EndToEndFixture.DefaultUser, Audience = fixture.Audience, Lifetime = TimeSpan.FromHours(1) }))
        {
            First = () => fixture.Issuer.MintToken(new JwtMintOptions { Subject = EndToEndFixture.DefaultUser, Audience = fixture.Audience, Lifetime = TimeSpan.FromHours(1), Defects = JwtDefects.UnregisteredKey }),
        };
        await using var dataSource = Build(source);
        await dataSource.Cache.GetTokenAsync(); // the old token is now cached, as after an earlier successful period

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select current_user", connection);

        Assert.Equal(EndToEndFixture.DefaultUser, await command.ExecuteScalarAsync());
        Assert.Equal(2, source.Calls);
    }

    [EmulatorFact]
    public async Task OpenConnectionAsync_CachedTokenRejectedForConfiguration_OneLoginPerOpenAndNoFetch()
    {
        var source = new CountingTokenSource(() => fixture.Issuer.MintToken(new JwtMintOptions { Subject = EndToEndFixture.DefaultUser, Audience = fixture.Audience, Lifetime = TimeSpan.FromHours(1), Defects = JwtDefects.WrongAudience }));
        await using var dataSource = Build(source);
        await dataSource.Cache.GetTokenAsync();
        var before = fixture.Emulator!.LoginsAttempted;

        for (var open = 0; open < 5; open++)
        {
            var ex = await Assert.ThrowsAsync<JwtSsoException>(async () => await dataSource.OpenConnectionAsync());
            Assert.Contains("JWT authentication: invalid audience", ex.Message, StringComparison.Ordinal);
            Assert.Contains("server.jwt_authentication.audience", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(5, fixture.Emulator.LoginsAttempted - before);
        Assert.Equal(1, source.Calls);
    }

    /// <summary>
    /// Issue 12 item 4, deterministic: the emulated cluster and the application share one fake clock at S + 0.5 s; the
    /// identity provider's clock is 700 ms ahead, so its token says iat = S + 1 and the cluster (zero skew, whole
    /// seconds) answers "iat" not satisfied. The open waits on the fake clock and re-sends the same token.
    /// </summary>
    [EmulatorFact]
    public async Task OpenConnectionAsync_IdentityProviderClockAheadOfTheCluster_SameTokenResentOnceIatHasPassed()
    {
        var second = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var clusterClock = new TestTime(second.AddMilliseconds(500));
        var issuerClock = new FakeTimeProvider(second.AddMilliseconds(1200));
        await using var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = issuerClock });
        await using var emulator = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions { PostgresConnectionString = fixture.Postgres!.ConnectionString, TimeProvider = clusterClock });
        emulator.Settings.Set("server.jwt_authentication.jwks", issuer.JwksJson);
        emulator.Settings.Set("server.jwt_authentication.issuers.configuration", issuer.Issuer);
        emulator.Settings.Set("server.jwt_authentication.audience", issuer.Options.DefaultAudience);
        emulator.Settings.Set("server.jwt_authentication.enabled", "true");
        await emulator.StartAsync();
        var rootPath = Path.Combine(Path.GetTempPath(), $"jwtsso-e2e-skew-{Guid.NewGuid():N}.crt");
        await File.WriteAllTextAsync(rootPath, emulator.CertificatePem);
        try
        {
            var source = new CountingTokenSource(() => issuer.MintToken(EndToEndFixture.DefaultUser, issuer.Options.DefaultAudience, TimeSpan.FromHours(1)));
            using var cache = new JwtTokenCache(source, new JwtSsoOptions { RefreshMode = JwtSsoRefreshMode.Lazy }, clusterClock);
            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = emulator.Host,
                Port = emulator.Port,
                Database = "postgres",
                Username = EndToEndFixture.DefaultUser,
                SslMode = SslMode.VerifyFull,
                RootCertificate = rootPath,
                Pooling = false,
                IncludeErrorDetail = true,
            };
            await using var dataSource = await new NpgsqlDataSourceBuilder(connectionString.ConnectionString).UseJwtSso(cache).BuildJwtSsoAsync();

            var open = dataSource.OpenConnectionAsync().AsTask();
            var wait = await clusterClock.NextShortTimerAsync();
            Assert.Contains("\"iat\" not satisfied", emulator.LastRejection?.Detail, StringComparison.Ordinal);
            clusterClock.Advance(wait);
            await using var connection = await open;
            await using var command = new NpgsqlCommand("select current_user", connection);

            Assert.Equal(EndToEndFixture.DefaultUser, await command.ExecuteScalarAsync());
            Assert.Equal(TimeSpan.FromSeconds(1), wait); // 0.5 s to iat plus the 0.5 s pad
            Assert.Equal(1, emulator.LoginsRejected);
            Assert.Equal(1, emulator.LoginsSucceeded);
            Assert.Equal(1, source.Calls); // the same token again, no second fetch
        }
        finally
        {
            File.Delete(rootPath);
        }
    }

    private JwtSsoDataSource Build(JwtTokenSource source, Action<JwtSsoOptions>? configure = null)
    {
        var connectionString = fixture.CreateConnectionStringBuilder(includeJwtOption: false);
        connectionString.Pooling = false;
        var builder = new NpgsqlDataSourceBuilder(connectionString.ConnectionString);
        builder.UseJwtSso(source, configure);
        return builder.BuildJwtSso();
    }
}
