namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Doctor check: does the cluster have a key with the token's <c>kid</c> (static JWKS, or auto-fetched from the issuer), and does the signature verify with it?</summary>
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

        CockroachJsonWebKeySet? keys;
        string where;
        if (settings.AutoFetch == true)
        {
            var issuer = token.Issuer ?? string.Empty;
            try
            {
                using var http = context.CreateHttpClient();
                var fetched = await IssuerKeys.FetchAsync(http, issuer, settings.IssuersSetting?.GetJwksUrl(issuer), context.Trust, cancellationToken).ConfigureAwait(false);
                keys = fetched.Keys!;
                where = $"the keys at {fetched.JwksUrl} (auto-fetch)";
            }
            catch (ToolException e)
            {
                var hint = CockroachServerErrors.GetHint("28000", "JWT authentication: unable to validate token", null, token);
                return DoctorFinding.Warn("keys", $"Auto-fetch is on, and this machine could not fetch the issuer's keys: {e.Message} If the cluster nodes cannot either, logins fail with 'JWT authentication: unable to validate token'.", hint);
            }
        }
        else
        {
            where = ClusterJwtSettings.JwksName;
            if (!CockroachJsonWebKeySet.TryParse(settings[ClusterJwtSettings.JwksName] ?? """{"keys":[]}""", out keys, out var error))
            {
                return DoctorFinding.Problem("keys", $"{where} is not a valid JWK Set ({error}); the cluster treats it as an empty key set.", $"Set {ClusterJwtSettings.JwksName} to the issuer's JWK Set, or turn on {ClusterJwtSettings.AutoFetchName}.");
            }
        }

        var key = keys.Find(token.KeyId);
        if (key is null)
        {
            return DoctorFinding.Rejection("keys", "invalid token", $"unable to parse token: key provider 0 failed: failed to find key with key ID {CockroachMessageText.Quote(token.KeyId)} in key set", token, null, null, $"No key with kid '{token.KeyId}' in {where} (kids: {DoctorTokenChecks.GoList(keys.Keys.Select(k => k.KeyId ?? "-"))}). ");
        }

        if (!key.CanVerify)
        {
            return DoctorFinding.Ok("keys", $"Found the key '{token.KeyId}' in {where} (the tool cannot check {key.KeyType} signatures: use --connection to let the cluster check it).");
        }

        if (keys.TryVerify(token.Value, out var failure))
        {
            return DoctorFinding.Ok("keys", $"Found the key '{token.KeyId}' in {where}, and the signature verifies with it.");
        }

        var explanation = key.Algorithm is { } alg && !string.Equals(alg, token.Algorithm, StringComparison.Ordinal)
            ? $"The key '{token.KeyId}' is for {alg} but the token says {token.Algorithm}. "
            : failure.EndsWith("could not verify message using any of the signatures or keys", StringComparison.Ordinal) && key.Use is null or "sig"
                ? $"The signature does not verify with the key '{token.KeyId}' in {where}: the token was signed by another key with the same kid (re-keyed issuer, or a different issuer). "
                : $"The key '{token.KeyId}' in {where} cannot verify this token. ";
        return DoctorFinding.Rejection("keys", "invalid token", "unable to parse token: " + failure, token, null, null, explanation);
    }
}
