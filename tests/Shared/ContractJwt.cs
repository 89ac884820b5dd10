using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>Well-formed (unsigned) compact JWS strings for the contract suite; each call gives a distinct token.</summary>
public static class ContractJwt
{
    /// <summary>The issue time of the tokens made by <see cref="Create"/> and the start of the suite's fake clock.</summary>
    public static readonly DateTimeOffset IssuedAt = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Makes a token issued at <see cref="IssuedAt"/> that expires one hour later.</summary>
    public static string Create(string subject = "contract-user", string audience = "crdb")
    {
        var header = new { alg = "RS256", kid = "contract-kid", typ = "JWT" };
        var payload = new
        {
            iss = "https://contract.issuer.test",
            sub = subject,
            aud = audience,
            iat = IssuedAt.ToUnixTimeSeconds(),
            exp = (IssuedAt + TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
            jti = Guid.NewGuid().ToString("N"),
        };
        return $"{Encode(header)}.{Encode(payload)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes("contract-signature-" + Guid.NewGuid().ToString("N")))}";
    }

    private static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
