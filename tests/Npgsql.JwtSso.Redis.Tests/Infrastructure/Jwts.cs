using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Redis.Tests.Infrastructure;

/// <summary>Mints unsigned-looking compact JWTs (the cluster verifies signatures, the cache does not).</summary>
public static class Jwts
{
    public const string Issuer = "https://issuer.example";
    public const string Audience = "crdb-test";

    public static JwtToken Mint(DateTimeOffset now, TimeSpan lifetime, string issuer = Issuer, string audience = Audience, string subject = "svc")
    {
        var header = Part(new { alg = "RS256", kid = "k1", typ = "JWT" });
        var payload = Part(new { iss = issuer, aud = audience, sub = subject, iat = now.ToUnixTimeSeconds(), exp = (now + lifetime).ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString("N") });
        return JwtToken.Parse($"{header}.{payload}.{Base64Url.EncodeToString(Guid.NewGuid().ToByteArray())}");
    }

    private static string Part(object value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
}
