using System.Text;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>Startup handshake (crdb-jwt-server §1): options parsing, TLS, user checks, the two request timings, insecure mode.</summary>
public sealed class HandshakeTests(KitFixture fixture) : EmulatorTestBase(fixture), IAsyncLifetime
{
    private CockroachJwtEmulator _plain = null!;

    public async Task InitializeAsync()
    {
        _plain = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions
        {
            PostgresConnectionString = Fixture.Postgres.ConnectionString,
            TlsEnabled = false,
            AcceptSqlWithoutTls = true,
        });
        _plain.Settings.Enabled = true;
        _plain.Settings.Jwks = Jwks(Fixture.Key1);
        _plain.Settings.IssuersConfiguration = "issuer1";
        _plain.Settings.Audience = "test_cluster";
        await _plain.StartAsync();
    }

    public async Task DisposeAsync() => await _plain.DisposeAsync();

    [Theory]
    [InlineData("--crdb:jwt_auth_enabled=true")]
    [InlineData("-c crdb:jwt_auth_enabled=true")]
    [InlineData("-ccrdb:JWT_AUTH_ENABLED=true")]
    [InlineData("--crdb:jwt-auth-enabled=1")]
    [InlineData("--crdb:jwt_auth_enabled=T")]
    public async Task Login_FlagSpellings_AllSelectJwtMethod(string options)
    {
        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(), b => b.Options = options));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("--crdb:jwt_auth_enabled=false")]
    public async Task Login_FlagAbsentOrFalse_PasswordAuthenticationFails(string? options)
    {
        var ex = await RejectAsync("test_user1", Mint(), b => b.Options = options);

        Assert.Equal("28P01", ex.SqlState);
        Assert.Equal("password authentication failed for user test_user1", ex.MessageText);
    }

    [Fact]
    public async Task Login_FlagNotABool_22023WithParseBoolText()
    {
        var ex = await RejectAsync("test_user1", Mint(), b => b.Options = "--crdb:jwt_auth_enabled=maybe");

        Assert.Equal("22023", ex.SqlState);
        Assert.Equal("crdb:jwt_auth_enabled: strconv.ParseBool: parsing \"maybe\": invalid syntax", ex.MessageText);
    }

    [Theory]
    [InlineData("foo --crdb:jwt_auth_enabled=true", "option \"foo\" is invalid, must have prefix '-c' or '--'")]
    [InlineData("--a=b=c --crdb:jwt_auth_enabled=true", "option \"--a=b=c\" is invalid, check '='")]
    public async Task Login_MalformedOptions_08P01(string options, string message)
    {
        var ex = await RejectAsync("test_user1", Mint(), b => b.Options = options);

        Assert.Equal("08P01", ex.SqlState);
        Assert.Equal(message, ex.MessageText);
    }

    [Fact]
    public async Task Login_OtherOptions_ForwardedToPostgres()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("test_user1", Mint(), b => b.Options = "-c search_path=a,\\ b --crdb:jwt_auth_enabled=true -c statement_timeout=12345"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_setting('search_path') || ';' || current_setting('statement_timeout')", connection);

        Assert.Equal("a, b;12345ms", await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(CockroachJwtLoginFlow.RequestTokenFirst)]
    [InlineData(CockroachJwtLoginFlow.RequestTokenAfterUserChecks)]
    public async Task Login_MissingUser_PasswordAuthenticationFailed28P01(CockroachJwtLoginFlow flow)
    {
        Settings.LoginFlow = flow;

        var ex = await RejectAsync("nobody", Mint(sub: "nobody"));

        Assert.Equal("28P01", ex.SqlState);
        Assert.Equal("password authentication failed for user nobody", ex.MessageText);
    }

    [Theory]
    [InlineData(CockroachJwtLoginFlow.RequestTokenFirst)]
    [InlineData(CockroachJwtLoginFlow.RequestTokenAfterUserChecks)]
    public async Task Login_NoLoginUser_NoLoginPrivilege28000(CockroachJwtLoginFlow flow)
    {
        Settings.LoginFlow = flow;

        var ex = await RejectAsync("nologin_user", Mint(sub: "nologin_user"));

        Assert.Equal("28000", ex.SqlState);
        Assert.Equal("nologin_user does not have login privilege", ex.MessageText);
    }

    [Fact]
    public async Task Login_UserChecksFirst_MissingUserReportedBeforeBadToken()
    {
        Settings.LoginFlow = CockroachJwtLoginFlow.RequestTokenAfterUserChecks;

        var ex = await RejectAsync("nobody", "not-a-jwt");

        Assert.Equal("28P01", ex.SqlState);
    }

    [Fact]
    public async Task Login_TokenFirst_BadTokenReportedBeforeMissingUser()
    {
        var ex = await RejectAsync("nobody", "not-a-jwt");

        Assert.Equal("28000", ex.SqlState);
        Assert.Equal("JWT authentication: invalid token", ex.MessageText);
    }

    [Fact]
    public async Task Login_TokenFirst_ExpiryNotPreCheckedSoMissingUserWins()
    {
        var ex = await RejectAsync("nobody", Mint(sub: "nobody", configure: o => o.Defects = JwtDefects.Expired));

        Assert.Equal("28P01", ex.SqlState);
    }

    [Fact]
    public async Task Login_PlaintextToSecureNode_08P01()
    {
        var ex = await RejectAsync("test_user1", Mint(), b => b.SslMode = SslMode.Disable);

        Assert.Equal("08P01", ex.SqlState);
        Assert.Equal("node is running secure mode, SSL connection required", ex.MessageText);
    }

    [Fact]
    public async Task Login_VerifyFullWithEmulatorCertificateAsRoot_Succeeds()
    {
        var root = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(root, Emulator.CertificatePem);

            Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(), b => { b.SslMode = SslMode.VerifyFull; b.RootCertificate = root; }));
        }
        finally
        {
            File.Delete(root);
        }
    }

    [Fact]
    public async Task Login_TlsDisabledAndPlaintextAccepted_LogsInWithoutTls()
    {
        Assert.Equal("test_user1", await LoginAsync("test_user1", Mint(), b => b.SslMode = SslMode.Prefer, _plain));
    }

    [Fact]
    public async Task Login_InsecureNode_NoPasswordRequested()
    {
        Settings.Insecure = true;

        // No password at all: Npgsql would throw if the server asked for one.
        Assert.Equal("test_user2", await LoginAsync("test_user2", null));
    }

    [Fact]
    public async Task Cancel_RunningQuery_ForwardedToPostgres()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("test_user1", Mint()));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select pg_sleep(120)", connection);
        using var cts = new CancellationTokenSource();
        var running = command.ExecuteNonQueryAsync(cts.Token);
        await WaitUntilSleepingAsync();

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal("57014", Assert.IsType<PostgresException>(ex.InnerException).SqlState);
    }

    [Fact]
    public async Task Wire_UserChecksFirstAndMissingUser_ErrorInsteadOfPasswordRequest()
    {
        _plain.Settings.LoginFlow = CockroachJwtLoginFlow.RequestTokenAfterUserChecks;
        await using var client = await RawPgClient.ConnectAsync(_plain.Port);

        await client.SendStartupAsync(("user", "nobody"), ("database", "postgres"), ("options", "--crdb:jwt_auth_enabled=true"));
        var (type, body) = await client.ReadMessageAsync();

        Assert.Equal('E', type);
        Assert.Equal("28P01", RawPgClient.ErrorFields(body)['C']);
    }

    [Theory]
    [InlineData(CockroachJwtLoginFlow.RequestTokenFirst, "28000")]
    [InlineData(CockroachJwtLoginFlow.RequestTokenAfterUserChecks, "28P01")]
    public async Task Wire_EmptyToken_PasswordAuthenticationFailed(CockroachJwtLoginFlow flow, string sqlState)
    {
        _plain.Settings.LoginFlow = flow;
        await using var client = await RawPgClient.ConnectAsync(_plain.Port);
        await client.SendStartupAsync(("user", "test_user1"), ("database", "postgres"), ("options", "--crdb:jwt_auth_enabled=true"));
        var request = await client.ReadMessageAsync();
        Assert.Equal(('R', 3), (request.Type, request.Body[3]));

        await client.SendPasswordAsync([0]);
        var (type, body) = await client.ReadMessageAsync();

        Assert.Equal('E', type);
        var fields = RawPgClient.ErrorFields(body);
        Assert.Equal(sqlState, fields['C']);
        Assert.Equal("password authentication failed for user test_user1", fields['M']);
    }

    [Fact]
    public async Task Wire_PasswordWithoutTrailingNul_ProtocolError()
    {
        await using var client = await RawPgClient.ConnectAsync(_plain.Port);
        await client.SendStartupAsync(("user", "test_user1"), ("database", "postgres"), ("options", "--crdb:jwt_auth_enabled=true"));
        await client.ReadMessageAsync();

        await client.SendPasswordAsync(Encoding.ASCII.GetBytes("a\0b"));
        var (type, body) = await client.ReadMessageAsync();

        Assert.Equal('E', type);
        Assert.Equal("expected 0-terminated byte array", RawPgClient.ErrorFields(body)['M']);
    }

    [Fact]
    public async Task Wire_EmptyUserAndSinglePrincipal_TokenDecidesTheUser()
    {
        _plain.Settings.Claim = "groups";
        await using var client = await RawPgClient.ConnectAsync(_plain.Port);
        await client.SendStartupAsync(("user", ""), ("database", "postgres"), ("options", "--crdb:jwt_auth_enabled=true"));
        await client.ReadMessageAsync();

        await client.SendPasswordAsync(Encoding.UTF8.GetBytes(Mint(sub: "someone", configure: o => o.Claims["groups"] = "test_user1") + "\0"));
        var (type, body) = await client.ReadMessageAsync();

        // PostgreSQL's AuthenticationOk, relayed: the splice logged in as the token's only user.
        Assert.Equal(('R', 0), (type, body[3]));
        Assert.Equal(1, _plain.LoginsSucceeded);
    }

    [Fact]
    public async Task Wire_EmptyUserAndSeveralPrincipals_InvalidPrincipal()
    {
        _plain.Settings.Claim = "groups";
        await using var client = await RawPgClient.ConnectAsync(_plain.Port);
        await client.SendStartupAsync(("user", ""), ("database", "postgres"), ("options", "--crdb:jwt_auth_enabled=true"));
        await client.ReadMessageAsync();

        await client.SendPasswordAsync(Encoding.UTF8.GetBytes(Mint(configure: o => o.Claims["groups"] = new[] { "test_user2", "test_user1" }) + "\0"));
        var (type, body) = await client.ReadMessageAsync();

        Assert.Equal('E', type);
        var fields = RawPgClient.ErrorFields(body);
        Assert.Equal("JWT authentication: invalid principal", fields['M']);
        Assert.Equal("token issued for [test_user2 test_user1] and login was for ", fields['D']);
    }

    [Fact]
    public async Task Wire_GssEncRequest_AnsweredN()
    {
        await using var client = await RawPgClient.ConnectAsync(_plain.Port);

        await client.SendRequestCodeAsync(80877104);

        Assert.Equal((byte)'N', await client.ReadByteAsync());
    }

    private async Task WaitUntilSleepingAsync()
    {
        await using var admin = new NpgsqlConnection(Fixture.Postgres.ConnectionString);
        await admin.OpenAsync();
        await using var probe = new NpgsqlCommand("select count(*) from pg_stat_activity where state = 'active' and query like 'select pg_sleep(120)%'", admin);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((long)(await probe.ExecuteScalarAsync(guard.Token))! == 0)
        {
            await Task.Yield();
        }
    }
}
