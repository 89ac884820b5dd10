namespace Npgsql.JwtSso.Testing;

/// <summary>When the emulated node asks for the token, relative to its user checks (crdb-jwt-server §1.3).</summary>
public enum CockroachJwtLoginFlow
{
    /// <summary>
    /// CockroachDB 25.4 and later: <c>AuthenticationCleartextPassword</c> is sent first; the token is pre-checked
    /// (signature, issuer, identity), then the user is looked up, then the token is fully validated.
    /// </summary>
    RequestTokenFirst,

    /// <summary>
    /// CockroachDB 23.1 – 25.3: the user's existence and login privilege are checked first (an error may arrive
    /// instead of the password request), then the token is requested and validated.
    /// </summary>
    RequestTokenAfterUserChecks,
}
