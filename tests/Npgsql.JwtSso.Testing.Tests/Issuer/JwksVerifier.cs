using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

/// <summary>Validates tokens the way a relying party would: keys from the JWKS the issuer serves over HTTP.</summary>
internal static class JwksVerifier
{
    internal static async Task<TokenValidationResult> ValidateAsync(LocalJwtIssuer issuer, string token, string audience, Action<TokenValidationParameters>? configure = null)
    {
        using var client = new HttpClient();
        var jwks = new JsonWebKeySet(await client.GetStringAsync(new Uri(issuer.HttpUri, ".well-known/jwks.json")));
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = issuer.Issuer,
            ValidAudience = audience,
            // The issuer's (possibly fake) clock, zero skew, like CockroachDB.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = issuer.Time.GetUtcNow().UtcDateTime;
                if (expires is null)
                {
                    throw new SecurityTokenNoExpirationException("no exp");
                }

                if (notBefore is { } nbf && now < nbf)
                {
                    throw new SecurityTokenNotYetValidException("nbf in the future");
                }

                if (now >= expires)
                {
                    throw new SecurityTokenExpiredException("expired");
                }

                return true;
            },
            TryAllIssuerSigningKeys = false,
        };
        configure?.Invoke(parameters);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
    }
}
