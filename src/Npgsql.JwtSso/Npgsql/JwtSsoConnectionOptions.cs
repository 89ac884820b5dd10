namespace Npgsql.JwtSso;

/// <summary>
/// Options of one data source wired with <c>UseJwtSso</c>: transport security, how the SQL username relates to the token,
/// and whether a rejected open is retried. Two data sources that share one <see cref="JwtTokenCache"/> may differ in them;
/// the refresh settings belong to the cache (<see cref="JwtTokenCacheOptions"/>).
/// </summary>
public sealed class JwtSsoConnectionOptions
{
    /// <summary>
    /// Gets or sets the claim the cluster reads the principal from (<c>server.jwt_authentication.claim</c>).
    /// </summary>
    /// <value>The default value is <c>sub</c>.</value>
    public string PrincipalClaim { get; set; } = "sub";

    /// <summary>
    /// Gets or sets the identity map in the cluster's own syntax (<c>server.identity_map.configuration</c>: pg_ident lines,
    /// map name = issuer). Used to derive the SQL username when the connection string has none, and to check the
    /// username against the token. <see langword="null"/> means the principal is the username.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? IdentityMap { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether <see cref="IdentityMap"/> matches principals case-insensitively, as
    /// CockroachDB 26.1 and later do; leave it off for earlier clusters.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IdentityMapIgnoreCase { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the connection's SQL username is checked against the first token
    /// (principal claim through the identity map), failing fast with a message that names the fix.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool VerifyUsername { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether connections without certificate verification (<c>SSL Mode</c> weaker than
    /// <c>VerifyCA</c>) are allowed. The token travels as a cleartext password, so this is for insecure development
    /// clusters only; enabling it logs a warning.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInsecureTransport { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an open the cluster rejects is retried once where that can help: a cached
    /// token that expired or was signed with a rotated key is replaced by a fresh one, and a token not yet valid on the
    /// cluster's clock is re-sent once its time has come (see <see cref="CockroachServerErrors.ClassifyRejection(PostgresException)"/>).
    /// Configuration rejections are never retried. Applies to opens through the data source returned by
    /// <c>BuildJwtSso()</c> and to EF Core contexts configured with <c>UseNpgsqlJwtSso</c>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetryRejectedOpen { get; set; } = true;
}
