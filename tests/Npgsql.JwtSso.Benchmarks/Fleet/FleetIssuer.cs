using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Benchmarks.Fleet;

/// <summary>The fleet's one identity provider: counts calls (with their simulated times) and mints 1 h tokens on the fleet's clock.</summary>
internal sealed class FleetIssuer(TimeProvider time, TimeSpan lifetime) : JwtTokenSource
{
    public const string Issuer = "https://issuer.fleet.example";
    public const string Audience = "crdb-fleet";
    private int _calls;

    public override string Name => "fleet-idp";

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<DateTimeOffset> CallTimes { get; } = new();

    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var now = time.GetUtcNow();
        CallTimes.Enqueue(now);
        return new ValueTask<JwtToken>(Mint(now, lifetime));
    }

    public static JwtToken Mint(DateTimeOffset now, TimeSpan lifetime)
    {
        var header = Part(new { alg = "RS256", kid = "fleet", typ = "JWT" });
        var payload = Part(new { iss = Issuer, aud = Audience, sub = "svc-fleet", iat = now.ToUnixTimeSeconds(), exp = (now + lifetime).ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString("N") });
        return JwtToken.Parse($"{header}.{payload}.{Base64Url.EncodeToString(Guid.NewGuid().ToByteArray())}");
    }

    private static string Part(object value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
}
