using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.OAuth.Tests.Support;

/// <summary>Keys and signed access tokens for tests.</summary>
internal static class TestTokens
{
    public const string Base = "http://127.0.0.1:5999";
    public const string CustomIssuer = Base + "/oauth2/default";
    public const string TokenPath = "/oauth2/default/v1/token";
    public const string ClientId = "0oa1clientid";
    public const string Secret = "s3cr3t-Do-Not-Print";

    private static readonly RsaSecurityKey ServerKey = new(RSA.Create(2048)) { KeyId = "server-key" };

    public static string Mint(DateTimeOffset now, IDictionary<string, object>? extra = null, string issuer = CustomIssuer)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sub"] = ClientId,
            ["cid"] = ClientId,
            ["scp"] = new[] { "crdb.login" },
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, object>())
        {
            claims[k] = v;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "api://default",
            IssuedAt = now.UtcDateTime,
            Expires = (now + TimeSpan.FromHours(1)).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(ServerKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public static string TokenJson(string accessToken, string tokenType = "Bearer")
        => $$"""{"token_type":"{{tokenType}}","expires_in":3600,"access_token":"{{accessToken}}","scope":"crdb.login"}""";

    public static string Error(string error, string description)
        => $$"""{"error":"{{error}}","error_description":"{{description}}"}""";
}
