using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Signs the RFC 7523 client assertion of <c>private_key_jwt</c>: iss = sub = client id, aud = token endpoint, fresh jti.</summary>
internal sealed class ClientAssertionFactory(SigningCredentials credentials, TimeProvider time)
{
    internal const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    internal string Create(string clientId, string audience, TimeSpan lifetime)
    {
        // Whole seconds: iat/exp are NumericDates, and servers compare them to their own clock.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            IssuedAt = now,
            Expires = now + lifetime,
            SigningCredentials = credentials,
            TokenType = "JWT",
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = clientId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        };
        return Handler.CreateToken(descriptor);
    }
}
