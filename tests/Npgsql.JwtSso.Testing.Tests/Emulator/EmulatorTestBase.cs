using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>
/// Shared set-up for conformance tests: the fixture's emulator reset to an enabled node with static keys
/// <c>test_kid1</c>/<c>test_kid2</c>, issuers <c>issuer1</c>/<c>issuer2</c> and audience <c>test_cluster</c>
/// (the fixtures of CockroachDB's <c>authentication_jwt_test.go</c>), and helpers that log in through real Npgsql.
/// </summary>
[Collection(KitCollection.Name)]
public abstract class EmulatorTestBase
{
    protected EmulatorTestBase(KitFixture fixture)
    {
        Fixture = fixture;
        Emulator = fixture.Emulator;
        Settings = Emulator.Settings;
        Settings.Reset();
        Settings.Enabled = true;
        Settings.Jwks = Jwks(fixture.Key1, fixture.Key2);
        Settings.IssuersConfiguration = """["issuer1","issuer2"]""";
        Settings.Audience = "test_cluster";
        Emulator.ResetCounters();
        fixture.Issuer.Faults.ClearAll();
    }

    protected KitFixture Fixture { get; }

    protected CockroachJwtEmulator Emulator { get; }

    protected CockroachJwtSettings Settings { get; }

    /// <summary>Mints a token like CockroachDB's tests: sub, aud (string), iss, exp = now + 1 h, signed by <paramref name="kid"/>.</summary>
    protected string Mint(string sub = "test_user1", string iss = "issuer1", string aud = "test_cluster", string kid = "test_kid1", Action<JwtMintOptions>? configure = null)
    {
        var options = new JwtMintOptions { Subject = sub, Issuer = iss, Audience = aud, KeyId = kid };
        configure?.Invoke(options);
        return Fixture.Issuer.MintToken(options);
    }

    /// <summary>Builds a JWK Set of the public halves of the given keys, optionally editing each JWK.</summary>
    protected static string Jwks(params LocalSigningKey[] keys) => JwksWith(null, keys);

    protected static string JwksWith(Action<JsonObject>? edit, params LocalSigningKey[] keys)
    {
        var array = new JsonArray();
        foreach (var key in keys)
        {
            var jwk = JsonNode.Parse(key.ToJwkJson())!.AsObject();
            edit?.Invoke(jwk);
            array.Add(jwk);
        }

        return new JsonObject { ["keys"] = array }.ToJsonString();
    }

    protected string ConnectionString(string user, string? token, Action<NpgsqlConnectionStringBuilder>? configure = null, CockroachJwtEmulator? emulator = null)
    {
        var builder = new NpgsqlConnectionStringBuilder((emulator ?? Emulator).GetConnectionString(user, token))
        {
            Pooling = false,
            IncludeErrorDetail = true,
            Timeout = 60,
        };
        configure?.Invoke(builder);
        return builder.ConnectionString;
    }

    /// <summary>Opens a connection through the emulator and returns <c>current_user</c>.</summary>
    protected async Task<string> LoginAsync(string user, string? token, Action<NpgsqlConnectionStringBuilder>? configure = null, CockroachJwtEmulator? emulator = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(user, token, configure, emulator));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    protected Task<PostgresException> RejectAsync(string user, string? token, Action<NpgsqlConnectionStringBuilder>? configure = null, CockroachJwtEmulator? emulator = null)
        => Assert.ThrowsAsync<PostgresException>(() => LoginAsync(user, token, configure, emulator));

    /// <summary>Asserts a JWT validation failure as a client sees it: SQLSTATE 28000, message and DETAIL.</summary>
    protected static void AssertJwtError(PostgresException ex, string reason, string? detail)
    {
        Assert.Equal("28000", ex.SqlState);
        Assert.Equal("JWT authentication: " + reason, ex.MessageText);
        Assert.Equal(detail, ex.Detail);
    }
}
