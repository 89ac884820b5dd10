using Microsoft.Extensions.Time.Testing;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>jwx time validation: zero skew, whole seconds, optional claims, order iat → exp → nbf (crdb-jwt-server §3.2).</summary>
public sealed class TimeClaimTests(KitFixture fixture) : EmulatorTestBase(fixture), IAsyncLifetime
{
    private const long Now = 2_000_000_000;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(Now));
    private CockroachJwtEmulator _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions { PostgresConnectionString = Fixture.Postgres.ConnectionString, TimeProvider = _time });
        _emulator.Settings.Enabled = true;
        _emulator.Settings.Jwks = Jwks(Fixture.Key1);
        _emulator.Settings.IssuersConfiguration = "issuer1";
        _emulator.Settings.Audience = "test_cluster";
        await _emulator.StartAsync();
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Login_ExpEqualsCurrentSecond_Rejected()
    {
        var ex = await RejectAsync("test_user1", Token(exp: Now), emulator: _emulator);

        AssertJwtError(ex, "invalid token", "unable to parse token: \"exp\" not satisfied");
    }

    [Fact]
    public async Task Login_ExpOneSecondAhead_AcceptedUntilThatSecondStarts()
    {
        var token = Token(exp: Now + 1);
        _time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Equal("test_user1", await LoginAsync("test_user1", token, emulator: _emulator));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        AssertJwtError(await RejectAsync("test_user1", token, emulator: _emulator), "invalid token", "unable to parse token: \"exp\" not satisfied");
    }

    [Fact]
    public async Task Login_NoExp_NeverExpires()
    {
        var token = Token(exp: null);
        _time.Advance(TimeSpan.FromDays(3650));

        Assert.Equal("test_user1", await LoginAsync("test_user1", token, emulator: _emulator));
    }

    [Fact]
    public async Task Login_ExpZero_TreatedAsAbsent()
    {
        Assert.Equal("test_user1", await LoginAsync("test_user1", Token(exp: 0), emulator: _emulator));
    }

    [Fact]
    public async Task Login_IatOneSecondInFuture_RejectedWithZeroSkew()
    {
        AssertJwtError(await RejectAsync("test_user1", Token(iat: Now + 1), emulator: _emulator), "invalid token", "unable to parse token: \"iat\" not satisfied");
        Assert.Equal("test_user1", await LoginAsync("test_user1", Token(iat: Now), emulator: _emulator));
    }

    [Fact]
    public async Task Login_NbfInFuture_RejectedThenAcceptedAtThatSecond()
    {
        var token = Token(nbf: Now + 5);

        AssertJwtError(await RejectAsync("test_user1", token, emulator: _emulator), "invalid token", "unable to parse token: \"nbf\" not satisfied");

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("test_user1", await LoginAsync("test_user1", token, emulator: _emulator));
    }

    [Fact]
    public async Task Login_FutureIatAndPastExp_IatReportedFirst()
    {
        var ex = await RejectAsync("test_user1", Token(iat: Now + 10, exp: Now - 10), emulator: _emulator);

        AssertJwtError(ex, "invalid token", "unable to parse token: \"iat\" not satisfied");
    }

    [Fact]
    public async Task Login_ExpiredAndBadSignature_SignatureReportedFirst()
    {
        var token = Token(exp: Now - 10, configure: o => o.Defects = JwtDefects.UnregisteredKey);

        var ex = await RejectAsync("test_user1", token, emulator: _emulator);

        AssertJwtError(ex, "invalid token", "unable to parse token: could not verify message using any of the signatures or keys");
    }

    private string Token(long? exp = Now + 3600, long? iat = null, long? nbf = null, Action<JwtMintOptions>? configure = null)
        => Mint(configure: o =>
        {
            o.Claims["exp"] = exp;
            o.Claims["iat"] = iat;
            o.Claims["nbf"] = nbf;
            configure?.Invoke(o);
        });
}
