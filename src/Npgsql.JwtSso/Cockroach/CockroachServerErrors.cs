using System.Text;

namespace Npgsql.JwtSso;

/// <summary>
/// Explains CockroachDB's login errors for JWT single sign-on: keeps the server's message and DETAIL and adds a hint
/// naming the cluster setting, claim or connection setting to fix. Used by <see cref="JwtSsoDataSource"/>, and public so
/// that applications opening connections another way (and tools) can use the same hints.
/// </summary>
public static class CockroachServerErrors
{
    private const string JwtPrefix = "JWT authentication: ";
    private const string NpgsqlRedactedDetail = "Detail redacted";
    private const string MissingClaimDetail = "token does not contain a claim for ";

    /// <summary>Returns whether the error is the cluster rejecting a JWT login (SQLSTATE 28000, message <c>JWT authentication: …</c>).</summary>
    /// <param name="exception">The server error.</param>
    /// <returns><see langword="true"/> for a JWT rejection; <see cref="ClassifyRejection(PostgresException)"/> says whether a retry can help.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static bool IsJwtRejection(PostgresException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SqlState == PostgresErrorCodes.InvalidAuthorizationSpecification
            && exception.MessageText.StartsWith(JwtPrefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// Classifies a login error by what can fix it: a fresh token (<see cref="JwtRejectionKind.Expired"/>,
    /// <see cref="JwtRejectionKind.SigningKey"/>, <see cref="JwtRejectionKind.Unexplained"/>), the same token a moment later
    /// (<see cref="JwtRejectionKind.NotYetValid"/>), or only a change of configuration (<see cref="JwtRejectionKind.Configuration"/>).
    /// <see cref="JwtSsoDataSource"/> retries by this rule; execution strategies should use it too.
    /// </summary>
    /// <param name="exception">The server error.</param>
    /// <returns>The kind; <see cref="JwtRejectionKind.None"/> when the error is not a known login error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static JwtRejectionKind ClassifyRejection(PostgresException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ClassifyRejection(exception.SqlState, exception.MessageText, exception.Detail);
    }

    /// <summary>Classifies a login error given as text (as the testing kit and the CLI see it); see <see cref="ClassifyRejection(PostgresException)"/>.</summary>
    /// <param name="sqlState">The SQLSTATE.</param>
    /// <param name="message">The message (<c>M</c> field).</param>
    /// <param name="detail">The detail (<c>D</c> field), if any; Npgsql's "Detail redacted…" placeholder counts as none.</param>
    /// <returns>The kind; <see cref="JwtRejectionKind.None"/> when the error is not a known login error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sqlState"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public static JwtRejectionKind ClassifyRejection(string sqlState, string message, string? detail)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        ArgumentNullException.ThrowIfNull(message);
        if (detail?.StartsWith(NpgsqlRedactedDetail, StringComparison.Ordinal) == true)
        {
            detail = null;
        }

        if (sqlState == PostgresErrorCodes.InvalidAuthorizationSpecification && message == JwtPrefix + "invalid token")
        {
            return ClassifyInvalidToken(detail);
        }

        return GetHint(sqlState, message, detail) is null ? JwtRejectionKind.None : JwtRejectionKind.Configuration;
    }

    /// <summary>Turns a login error into a <see cref="JwtSsoException"/> of kind <see cref="JwtSsoErrorKind.ServerRejected"/> with a hint.</summary>
    /// <param name="exception">The server error.</param>
    /// <param name="token">The token that was sent, if known: its issuer, audiences and principals make the hint concrete.</param>
    /// <param name="principalClaim">The claim the cluster reads principals from; <see langword="null"/> means <c>sub</c>.</param>
    /// <param name="username">The SQL username of the login, if known.</param>
    /// <returns>The exception (with <paramref name="exception"/> as inner exception), or <see langword="null"/> when the error is not one of the known login errors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static JwtSsoException? ToJwtSsoException(PostgresException exception, JwtToken? token = null, string? principalClaim = null, string? username = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var redacted = exception.Detail?.StartsWith(NpgsqlRedactedDetail, StringComparison.Ordinal) == true;
        var detail = redacted ? null : exception.Detail;
        var hint = GetHint(exception.SqlState, exception.MessageText, detail, token, principalClaim, username);
        if (hint is null)
        {
            return null;
        }

        var sb = new StringBuilder("The cluster rejected the login: ").Append(exception.MessageText).Append(" (SQLSTATE ").Append(exception.SqlState);
        if (!string.IsNullOrEmpty(detail))
        {
            sb.Append("; DETAIL: ").Append(detail);
        }
        else if (redacted)
        {
            sb.Append("; the server's DETAIL is hidden by Npgsql: add 'Include Error Detail=true' to the connection string to see it");
        }

        sb.Append("). Hint: ").Append(hint);
        return new JwtSsoException(JwtSsoErrorKind.ServerRejected, null, sb.ToString(), exception);
    }

    /// <summary>Returns the hint for a server error given as text (as the testing kit and the CLI see it).</summary>
    /// <param name="sqlState">The SQLSTATE.</param>
    /// <param name="message">The message (<c>M</c> field).</param>
    /// <param name="detail">The detail (<c>D</c> field), if any.</param>
    /// <param name="token">The token that was sent, if known.</param>
    /// <param name="principalClaim">The principal claim; <see langword="null"/> means <c>sub</c>.</param>
    /// <param name="username">The SQL username of the login, if known.</param>
    /// <returns>The hint, or <see langword="null"/> when the error is not a known login error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sqlState"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    public static string? GetHint(string sqlState, string message, string? detail, JwtToken? token = null, string? principalClaim = null, string? username = null)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        ArgumentNullException.ThrowIfNull(message);
        var claim = string.IsNullOrEmpty(principalClaim) ? "sub" : principalClaim;
        if (message.StartsWith(JwtPrefix, StringComparison.Ordinal))
        {
            return JwtHint(message[JwtPrefix.Length..], detail ?? string.Empty, token, claim, username);
        }

        if (message.StartsWith("JWT authorization: ", StringComparison.Ordinal))
        {
            return "Role synchronisation from the token's groups failed (server.jwt_authentication.authorization.enabled): check server.jwt_authentication.group_claim / userinfo_group_key and that the token or the issuer's userinfo endpoint lists the user's groups; an empty group list is refused.";
        }

        if (message.StartsWith("password authentication failed for user ", StringComparison.Ordinal))
        {
            var user = message["password authentication failed for user ".Length..];
            return $"Either SQL user {user} does not exist on the cluster (CREATE USER {user}; or enable security.provisioning.jwt.enabled), or the startup option --crdb:jwt_auth_enabled=true did not reach the server (a proxy or pooler dropped the 'options' parameter), so the token was checked as an ordinary password.";
        }

        if (message.EndsWith(" does not have login privilege", StringComparison.Ordinal))
        {
            var user = message[..^" does not have login privilege".Length];
            return $"Grant the login privilege: ALTER USER {user} WITH LOGIN; (and check NOSQLLOGIN).";
        }

        if (message.Contains("SSL connection required", StringComparison.Ordinal))
        {
            return "The node only accepts TLS connections: set 'SSL Mode=VerifyFull' and 'Root Certificate=<path to the cluster's ca.crt>' in the connection string.";
        }

        if (message.StartsWith("crdb:jwt_auth_enabled: ", StringComparison.Ordinal) || (sqlState == "08P01" && message.StartsWith("option ", StringComparison.Ordinal)))
        {
            return "The connection string's Options value is malformed for CockroachDB: write each option as '--key=value' or '-c key=value', separated by spaces; the flag is '--crdb:jwt_auth_enabled=true'.";
        }

        if (message.Contains("requires CCL features", StringComparison.Ordinal))
        {
            return "This CockroachDB binary was built without CCL features; JWT logins need the standard (CCL) build.";
        }

        if (message.Contains("requires an enterprise license", StringComparison.Ordinal))
        {
            return "JWT authentication needs a CockroachDB enterprise (or trial) license on this cluster version.";
        }

        return null;
    }

    private static string? JwtHint(string reason, string detail, JwtToken? token, string claim, string? username)
    {
        var iss = token?.Issuer is { } i ? $"'{i}'" : "the token's issuer";
        switch (reason)
        {
            case "not enabled":
                return "JWT logins are off on this cluster: SET CLUSTER SETTING server.jwt_authentication.enabled = true;";
            case "invalid issuer":
                return $"Add {iss} to server.jwt_authentication.issuers.configuration (exact, case-sensitive: 'https://x' and 'https://x/' differ), or request the token from a configured issuer.";
            case "invalid audience":
                var aud = token is { Audiences.Count: > 0 } ? $"one of the token's audiences {Internal.GoText.List(token.Audiences)}" : "the token's audience";
                return $"Add {aud} to server.jwt_authentication.audience (a string or JSON array), or request the token for the cluster's configured audience.";
            case "invalid token":
                return InvalidTokenHint(detail, token);
            case "unable to validate token":
                return $"The cluster could not fetch the signing keys for {iss} (server.jwt_authentication.jwks_auto_fetch.enabled): the reason is only in the cluster's logs (client_authentication_failed event): issuer unreachable from the nodes, no jwks_uri in its discovery document, TLS (server.jwt_authentication.issuers.custom_ca) or server.jwt_authentication.client.timeout.";
            case "missing claim":
                return MissingClaimHint(detail, token, claim);
            case "failed to extract claim":
                return "server.jwt_authentication.claim is a JSON pointer that does not resolve in the token: fix the pointer or the token's claims.";
            case "invalid principal":
            case "invalid claim value":
                return PrincipalHint(token, claim, username);
            case "invalid identity":
                return "The SQL user is reserved (root, public, none, node, pg_*, crdb_internal_*): CockroachDB refuses JWT logins to it. Log in as a regular SQL user.";
            default:
                return "Check the cluster's server.jwt_authentication.* settings against the token.";
        }
    }

    private static JwtRejectionKind ClassifyInvalidToken(string? detail)
    {
        // DETAIL strings of lestrrat-go/jwx v2 as CockroachDB returns them (see the server notes): time claims are checked
        // with zero skew, the key is chosen by kid.
        if (string.IsNullOrEmpty(detail))
        {
            return JwtRejectionKind.Unexplained;
        }

        if (detail.Contains("\"exp\" not satisfied", StringComparison.Ordinal))
        {
            return JwtRejectionKind.Expired;
        }

        if (detail.Contains("\"iat\" not satisfied", StringComparison.Ordinal) || detail.Contains("\"nbf\" not satisfied", StringComparison.Ordinal))
        {
            return JwtRejectionKind.NotYetValid;
        }

        if (detail.Contains("failed to find key with key ID", StringComparison.Ordinal)
            || detail.Contains("could not verify message using any of the signatures or keys", StringComparison.Ordinal))
        {
            return JwtRejectionKind.SigningKey;
        }

        // "token parsing failed: …", no kid in the header, an algorithm the key does not allow: every token from this
        // source has the same shape.
        return JwtRejectionKind.Configuration;
    }

    private static string InvalidTokenHint(string detail, JwtToken? token)
    {
        if (detail.Contains("\"exp\" not satisfied", StringComparison.Ordinal))
        {
            return "The token had expired when the cluster checked it: compare this machine's clock with the cluster nodes' clocks (CockroachDB allows no skew) and keep JwtSsoOptions.SafetyMargin above the skew.";
        }

        if (detail.Contains("\"iat\" not satisfied", StringComparison.Ordinal) || detail.Contains("\"nbf\" not satisfied", StringComparison.Ordinal))
        {
            return "The token is not yet valid on the cluster (iat/nbf in the future): the cluster nodes' clocks are behind the identity provider's; fix clock synchronisation.";
        }

        if (detail.Contains("key ID", StringComparison.Ordinal) || detail.Contains("kid", StringComparison.Ordinal))
        {
            var kid = token?.KeyId is { } k ? $"'{k}'" : "of the token";
            return $"The cluster has no signing key with the kid {kid}: update server.jwt_authentication.jwks with the issuer's current keys, or turn on server.jwt_authentication.jwks_auto_fetch.enabled.";
        }

        return "The signature or format was not accepted: server.jwt_authentication.jwks must hold the issuer's public key (or turn on server.jwt_authentication.jwks_auto_fetch.enabled); the key's alg must match the token's.";
    }

    private static string MissingClaimHint(string detail, JwtToken? token, string claim)
    {
        // The DETAIL names the claim the cluster looked for; it wins over our own PrincipalClaim, which may differ.
        var start = detail.IndexOf(MissingClaimDetail, StringComparison.Ordinal);
        if (start >= 0 && detail[(start + MissingClaimDetail.Length)..].Trim() is { Length: > 0 } fromDetail)
        {
            claim = fromDetail;
        }

        var carried = token?.Subject is not null && claim != "sub" ? " (the token does carry 'sub')" : string.Empty;
        return $"The cluster reads the login's principal from the '{claim}' claim (server.jwt_authentication.claim) and the token has no '{claim}' claim: configure the identity provider to include '{claim}' in the token, or set server.jwt_authentication.claim (and JwtSsoOptions.PrincipalClaim) to a claim the token carries{carried}.";
    }

    private static string PrincipalHint(JwtToken? token, string claim, string? username)
    {
        var principals = token?.GetPrincipals(claim);
        var sb = new StringBuilder();
        sb.Append($"The SQL user is not one the token's '{claim}' claim maps to");
        if (principals is { Count: > 0 })
        {
            sb.Append(' ').Append(Internal.GoText.List(principals));
        }

        sb.Append(": ");
        var line = token?.Issuer is { } issuer && principals is { Count: > 0 } && !string.IsNullOrEmpty(username)
            ? IdentityMap.SuggestLine(issuer, principals[0], username)
            : null;
        sb.Append(line is null
            ? "add a rule for the token's issuer to server.identity_map.configuration"
            : $"add '{line}' to server.identity_map.configuration");
        sb.Append(", connect as a user the principal maps to, or check server.jwt_authentication.claim.");
        return sb.ToString();
    }
}
