namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// CockroachDB's <c>ValidateJWTLogin</c> (crdb-jwt-server §3.1, eras B/C): the checks in order, each with the
/// server's exact client message and DETAIL. Identity rules come from the core package (<see cref="CockroachJwtIdentity"/>).
/// </summary>
internal sealed class JwtLoginValidator(JwksHttpClients httpClients, TimeProvider timeProvider)
{
    /// <summary>Result of a validation: the normalised user to log in as, or the failure.</summary>
    internal readonly record struct Outcome(string? User, LoginFailure? Failure);

    /// <summary>
    /// Runs the checks. With <paramref name="preCheck"/> (era C, when the token arrives) only the signature, issuer and
    /// identity steps run: time claims, reserved users and audience are left for the full validation.
    /// </summary>
    internal async Task<Outcome> ValidateAsync(EmulatorSettings settings, string tokenText, string requestedUser, bool preCheck, CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            return Fail(LoginFailure.Jwt("not enabled"));
        }

        if (JwxInsecureParse.Error(tokenText) is { } jwxError)
        {
            return Fail(LoginFailure.Jwt("invalid token", "token parsing failed: " + jwxError));
        }

        if (!JwtToken.TryParse(tokenText, out var token, out var parseError))
        {
            return Fail(LoginFailure.Jwt("invalid token", "token parsing failed: " + parseError));
        }

        var issuer = token.Issuer ?? string.Empty;
        if (!settings.Issuers.Accepts(issuer))
        {
            return Fail(LoginFailure.Jwt("invalid issuer", "token issued by " + issuer));
        }

        var keys = settings.StaticKeys;
        if (settings.AutoFetch)
        {
            // Released versions: no cache, so every login fetches (crdb-jwt-server §4).
            var fetched = await CockroachJwksFetcher.FetchAsync(
                httpClients.For(settings.CustomCa), issuer, settings.Issuers.GetJwksUrl(issuer), settings.ClientTimeout, settings.RejectNon2xx, cancellationToken).ConfigureAwait(false);
            if (fetched.Keys is null)
            {
                return Fail(LoginFailure.Jwt("unable to validate token", logDetail: fetched.Error));
            }

            keys = fetched.Keys;
        }

        if (!keys.TryVerify(token.Value, out var verifyError))
        {
            return Fail(LoginFailure.Jwt("invalid token", "unable to parse token: " + verifyError));
        }

        if (!preCheck && CheckTimes(token) is { } timeError)
        {
            return Fail(LoginFailure.Jwt("invalid token", "unable to parse token: " + timeError));
        }

        var resolution = CockroachJwtIdentity.ResolveAcceptedUsernames(token, settings.Claim, settings.IdentityMap);
        if (!resolution.CheckUsername(requestedUser, out var user, out var reason, out var detail)
            && !(preCheck && reason == "invalid identity"))
        {
            return Fail(LoginFailure.Jwt(reason!, detail));
        }

        if (preCheck)
        {
            return new Outcome(user, null);
        }

        if (!token.Audiences.Any(a => settings.Audiences.Contains(a, StringComparer.Ordinal)))
        {
            return Fail(LoginFailure.Jwt("invalid audience", "token issued with an audience of " + CockroachMessageText.List(token.Audiences)));
        }

        return new Outcome(user, null);
    }

    private static Outcome Fail(LoginFailure failure) => new(null, failure);

    // jwx v2 jwt.Validate defaults: zero skew, whole seconds, iat then exp then nbf; absent (or 0) claims are not checked.
    private string? CheckTimes(JwtToken token)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (token.IssuedAt is { } iat && now < iat.ToUnixTimeSeconds())
        {
            return "\"iat\" not satisfied";
        }

        if (token.ExpiresOn is { } exp && now >= exp.ToUnixTimeSeconds())
        {
            return "\"exp\" not satisfied";
        }

        if (token.NotBefore is { } nbf && now < nbf.ToUnixTimeSeconds())
        {
            return "\"nbf\" not satisfied";
        }

        return null;
    }
}
