using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Tests;

/// <summary>Builds unsigned-but-well-formed compact JWS strings for tests that only need the payload.</summary>
internal static class TestJwt
{
    public static string Create(object payload, object? header = null)
    {
        header ??= new { alg = "RS256", kid = "test-kid", typ = "JWT" };
        return $"{Encode(header)}.{Encode(payload)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("signature-bytes"))}";
    }

    public static string WithExpiry(DateTimeOffset issuedAt, TimeSpan lifetime, string sub = "bot", string iss = "https://issuer.example", string aud = "crdb")
        => Create(new { iss, sub, aud, iat = issuedAt.ToUnixTimeSeconds(), exp = (issuedAt + lifetime).ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString("N") });

    private static string Encode(object o) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(o));
}
