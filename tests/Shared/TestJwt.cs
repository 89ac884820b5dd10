using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// Builds well-formed but unsigned compact JWS strings, for tests where the code under test reads the claims and the
/// cluster (or a fake of it), not the code, checks signatures.
/// </summary>
public static class TestJwt
{
    /// <summary>The issue time of the tokens made by <see cref="Contract"/> and the start of the contract suite's fake clock.</summary>
    public static readonly DateTimeOffset ContractIssuedAt = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Makes a token with the given claims (an anonymous object or a dictionary) and a fixed RS256 header and signature.</summary>
    public static string Create(object payload, object? header = null, string signature = "signature-bytes")
    {
        header ??= new { alg = "RS256", kid = "test-kid", typ = "JWT" };
        return $"{Encode(header)}.{Encode(payload)}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(signature))}";
    }

    /// <summary>Makes a distinct token (own jti) issued at <paramref name="issuedAt"/> that expires after <paramref name="lifetime"/>.</summary>
    public static string WithExpiry(DateTimeOffset issuedAt, TimeSpan lifetime, string sub = "bot", string iss = "https://issuer.example", string aud = "crdb")
        => Create(new { iss, sub, aud, iat = issuedAt.ToUnixTimeSeconds(), exp = (issuedAt + lifetime).ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString("N") });

    /// <summary>Makes a token for the token source contract: issued at <see cref="ContractIssuedAt"/>, one hour long, distinct in every part.</summary>
    public static string Contract(string subject = "contract-user", string audience = "crdb")
        => Create(
            new
            {
                iss = "https://contract.issuer.test",
                sub = subject,
                aud = audience,
                iat = ContractIssuedAt.ToUnixTimeSeconds(),
                exp = (ContractIssuedAt + TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
                jti = Guid.NewGuid().ToString("N"),
            },
            new { alg = "RS256", kid = "contract-kid", typ = "JWT" },
            "contract-signature-" + Guid.NewGuid().ToString("N"));

    private static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
