using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>
/// Okta's client authentication at the token endpoint: <c>client_secret_basic</c>, <c>client_secret_post</c>, or
/// <c>private_key_jwt</c> whose assertion is verified against the app's registered key (signature, iss = sub = client id,
/// aud = this token endpoint, exp within one hour of iat, jti present and never reused).
/// </summary>
internal static class OktaClientAuthentication
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    internal static async Task<(LocalOktaClient? Client, string? Error)> AuthenticateAsync(
        HttpContext context, LocalJwtIssuer issuer, string tokenEndpoint, Func<string, string?> field)
    {
        string? method = null, clientId = null, secret = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = DecodeBasic(header["Basic ".Length..]);
            if (pair is null)
            {
                return (null, "Client authentication failed. Either the client or the client credentials are invalid.");
            }

            (method, clientId, secret) = ("client_secret_basic", pair.Value.Id, pair.Value.Secret);
        }
        else if (field("client_assertion") is { } assertion)
        {
            if (field("client_assertion_type") != AssertionType)
            {
                return (null, $"The client_assertion_type is invalid; it must be '{AssertionType}'.");
            }

            return await VerifyAssertionAsync(issuer, tokenEndpoint, assertion, field("client_id")).ConfigureAwait(false);
        }
        else if (field("client_secret") is { } postedSecret)
        {
            (method, clientId, secret) = ("client_secret_post", field("client_id"), postedSecret);
        }

        if (method is null)
        {
            return (null, "Client authentication failed. Either the client or the client credentials are invalid.");
        }

        if (string.IsNullOrEmpty(clientId) || issuer.Okta.FindClient(clientId) is not { } client)
        {
            return (null, "Invalid value for 'client_id' parameter.");
        }

        if (client.AuthenticationMethod != method)
        {
            return (null, $"Client authentication failed. The client is configured for '{client.AuthenticationMethod}' but the request used '{method}'.");
        }

        return client.ClientSecret is not null && client.ClientSecret == secret
            ? (client, null)
            : (null, "The client secret supplied for a confidential client is invalid.");
    }

    private static (string Id, string Secret)? DecodeBasic(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (Unescape(text[..colon]), Unescape(text[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }

        static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    private static async Task<(LocalOktaClient? Client, string? Error)> VerifyAssertionAsync(
        LocalJwtIssuer issuer, string tokenEndpoint, string assertion, string? postedClientId)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            return (null, "The client_assertion is not a valid JWT.");
        }

        if (issuer.Okta.FindClient(jwt.Issuer) is not { } client || (postedClientId is not null && postedClientId != jwt.Issuer))
        {
            return (null, "The client_assertion token has an invalid 'iss' claim: it must be the client_id.");
        }

        if (client.AuthenticationMethod != "private_key_jwt" || client.PublicKey is null)
        {
            return (null, $"Client authentication failed. The client is configured for '{client.AuthenticationMethod}' but the request used 'private_key_jwt'.");
        }

        if (jwt.Subject != client.ClientId)
        {
            return (null, "The client_assertion token has an invalid 'sub' claim: it must be the client_id.");
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = client.ClientId,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below on the issuer's clock
            IssuerSigningKey = client.PublicKey,
            TryAllIssuerSigningKeys = true,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, "The client_assertion signature is invalid.");
        }

        if (!jwt.Audiences.Contains(tokenEndpoint, StringComparer.Ordinal))
        {
            return (null, $"The audience of the client_assertion is invalid; it must be the token endpoint '{tokenEndpoint}'.");
        }

        if (!jwt.TryGetPayloadValue<long>("exp", out var exp))
        {
            return (null, "The client_assertion token must contain an 'exp' claim.");
        }

        var now = issuer.Time.GetUtcNow().ToUnixTimeSeconds();
        if (exp <= now)
        {
            return (null, "The client_assertion token is expired.");
        }

        var iat = jwt.TryGetPayloadValue<long>("iat", out var issued) ? issued : now;
        if (exp - iat > 3600)
        {
            return (null, "The client_assertion token has an expiration too far into the future.");
        }

        if (string.IsNullOrEmpty(jwt.Id))
        {
            return (null, "The client_assertion token must contain a 'jti' claim.");
        }

        return issuer.Okta.TryUseAssertionId(jwt.Id)
            ? (client, null)
            : (null, "The client_assertion token has a 'jti' claim which has already been used.");
    }
}
