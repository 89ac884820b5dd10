namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Doctor check: does the cluster have a key with the token's <c>kid</c> (static JWKS, or auto-fetched from the issuer)?</summary>
internal static class DoctorKeyCheck
{
    public static async Task<DoctorFinding> RunAsync(JwtToken token, ClusterJwtSettings settings, ToolContext context, CancellationToken cancellationToken)
    {
        if (settings.AutoFetch is null && settings[ClusterJwtSettings.JwksName] is null)
        {
            return DoctorFinding.Skip("keys", $"{ClusterJwtSettings.JwksName} / {ClusterJwtSettings.AutoFetchName} not known; the token's kid is '{token.KeyId}'.");
        }

        if (string.IsNullOrEmpty(token.KeyId))
        {
            return DoctorFinding.Rejection("keys", "invalid token", "unable to parse token: failed to find matching key: no key ID (\"kid\") specified in token", token, null, null, "The token has no 'kid' header and CockroachDB requires one. ");
        }

        string jwks;
        string where;
        if (settings.AutoFetch == true)
        {
            var issuer = token.Issuer ?? string.Empty;
            string? mapped = null;
            settings.IssuerJwksMap?.TryGetValue(issuer, out mapped);
            try
            {
                using var http = context.CreateHttpClient();
                var (url, fetched) = await IssuerDiscovery.FetchJwksAsync(http, issuer, mapped, cancellationToken, context.Trust).ConfigureAwait(false);
                jwks = fetched;
                where = $"the keys at {url} (auto-fetch)";
            }
            catch (ToolException e)
            {
                var hint = CockroachServerErrors.GetHint("28000", "JWT authentication: unable to validate token", null, token);
                return DoctorFinding.Warn("keys", $"Auto-fetch is on, and this machine could not fetch the issuer's keys: {e.Message} If the cluster nodes cannot either, logins fail with 'JWT authentication: unable to validate token'.", hint);
            }
        }
        else
        {
            jwks = settings[ClusterJwtSettings.JwksName] ?? """{"keys":[]}""";
            where = ClusterJwtSettings.JwksName;
        }

        var keys = IssuerDiscovery.SigningKeys(jwks);
        if (keys is null)
        {
            return DoctorFinding.Problem("keys", $"{where} is not valid JSON; the cluster treats it as an empty key set.", $"Set {ClusterJwtSettings.JwksName} to the issuer's JWK Set, or turn on {ClusterJwtSettings.AutoFetchName}.");
        }

        var key = keys.FirstOrDefault(k => k.Kid == token.KeyId);
        if (key.Kid is null)
        {
            return DoctorFinding.Rejection("keys", "invalid token", $"unable to parse token: key provider 0 failed: failed to find key with key ID \"{token.KeyId}\" in key set", token, null, null, $"No key with kid '{token.KeyId}' in {where} (kids: {DoctorTokenChecks.GoList(keys.Select(k => k.Kid ?? "-"))}). ");
        }

        if (key.Alg is { } alg && !string.Equals(alg, token.Algorithm, StringComparison.Ordinal))
        {
            return DoctorFinding.Rejection("keys", "invalid token", "unable to parse token: could not verify message using any of the signatures or keys", token, null, null, $"The key '{token.KeyId}' is for {alg} but the token says {token.Algorithm}. ");
        }

        return JwsSignature.Verify(key.Jwk, key.Alg ?? token.Algorithm ?? string.Empty, token.Value) switch
        {
            true => DoctorFinding.Ok("keys", $"Found the key '{token.KeyId}' in {where}, and the signature verifies with it."),
            false => DoctorFinding.Rejection("keys", "invalid token", "unable to parse token: could not verify message using any of the signatures or keys", token, null, null, $"The signature does not verify with the key '{token.KeyId}' in {where}: the token was signed by another key with the same kid (re-keyed issuer, or a different issuer). "),
            null => DoctorFinding.Ok("keys", $"Found the key '{token.KeyId}' in {where} (the tool cannot check {token.Algorithm} signatures: use --connection to let the cluster check it)."),
        };
    }
}
