using Duende.IdentityModel.Client;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Checks that a successful token response carries a JWT the cluster can verify and accept as a password.</summary>
internal static class AccessTokenReader
{
    internal static JwtToken Read(TokenResponse response, ClientCredentialsGrant grant, Uri endpoint)
    {
        var name = grant.SourceName;
        if (string.Equals(response.TokenType, "DPoP", StringComparison.OrdinalIgnoreCase))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                name,
                $"{name}: The token endpoint {endpoint} issued a DPoP-bound token (token_type DPoP). A sender-constrained token cannot be used as a database password: turn off 'Require DPoP' for client '{grant.ClientId}'.");
        }

        var text = response.AccessToken;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                name,
                $"{name}: The token endpoint {endpoint} answered without an access_token: check that it is an OAuth 2.0 token endpoint (TokenEndpoint/Issuer).");
        }

        if (!JwtToken.TryParse(text, out var token))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                name,
                $"{name}: The token endpoint {endpoint} issued an opaque (non-JWT) access token. The cluster can only verify signed JWTs against the issuer's keys, so this token cannot be used as a password. {grant.Preset.OpaqueTokenHint}");
        }

        if (token.TryGetClaim("cnf", out _))
        {
            throw new JwtSsoException(
                JwtSsoErrorKind.InvalidToken,
                name,
                $"{name}: The token endpoint {endpoint} issued a sender-constrained token (it has a 'cnf' claim, as DPoP or mTLS-bound tokens do). It cannot be used as a database password: turn off token binding (DPoP/mTLS) for client '{grant.ClientId}'.");
        }

        return token;
    }
}
