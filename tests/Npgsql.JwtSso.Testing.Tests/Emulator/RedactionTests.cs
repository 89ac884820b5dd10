namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>Tokens are secrets: the emulator never writes them to its log, at any level, on any path.</summary>
public sealed class RedactionTests(KitFixture fixture) : EmulatorTestBase(fixture)
{
    [Fact]
    public async Task Log_AtTraceForAcceptedAndRejectedLogins_NeverContainsTokenOrItsParts()
    {
        var logs = new RecordingLoggerFactory();
        await using var emulator = new CockroachJwtEmulator(new CockroachJwtEmulatorOptions { PostgresConnectionString = Fixture.Postgres.ConnectionString, LoggerFactory = logs });
        emulator.Settings.Enabled = true;
        emulator.Settings.Jwks = Jwks(Fixture.Key1);
        emulator.Settings.IssuersConfiguration = "issuer1";
        emulator.Settings.Audience = "test_cluster";
        await emulator.StartAsync();
        var good = Mint();
        var expired = Mint(configure: o => o.Defects = JwtDefects.Expired);
        var forged = Mint(configure: o => o.Defects = JwtDefects.UnregisteredKey);
        const string garbage = "garbage-secret-value-0123456789";

        Assert.Equal("test_user1", await LoginAsync("test_user1", good, emulator: emulator));
        await RejectAsync("test_user1", expired, emulator: emulator);
        await RejectAsync("test_user1", forged, emulator: emulator);
        await RejectAsync("test_user1", garbage, emulator: emulator);
        await RejectAsync("test_user1", good, b => b.Options = null, emulator); // password path

        Assert.Equal(5, emulator.LoginsAttempted);
        Assert.Contains(logs.Texts, e => e.Contains("\"exp\" not satisfied", StringComparison.Ordinal)); // the log is not simply empty
        foreach (var secret in new[] { good, expired, forged })
        {
            var parts = secret.Split('.');
            Assert.DoesNotContain(logs.Texts, e => e.Contains(parts[1], StringComparison.Ordinal) || e.Contains(parts[2], StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Texts, e => e.Contains(garbage, StringComparison.Ordinal));
        Assert.DoesNotContain(garbage, emulator.LastRejection!.ToString(), StringComparison.Ordinal);
    }
}
