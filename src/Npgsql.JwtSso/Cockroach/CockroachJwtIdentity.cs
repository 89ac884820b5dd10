namespace Npgsql.JwtSso;

/// <summary>
/// CockroachDB's rules for turning a JWT into SQL usernames (principal claim, identity map, username normalisation,
/// reserved users), written once and shared by the username check, the error hints, the emulator and the CLI.
/// </summary>
public static class CockroachJwtIdentity
{
    /// <summary>
    /// Normalises a username as CockroachDB does (<c>MakeSQLUsernameFromUserInput</c>, <c>lexbase.NormalizeName</c>):
    /// Unicode simple lower case per code point, with both Turkish i's (<c>İ</c>, <c>ı</c>) folded to <c>i</c>, then NFC.
    /// </summary>
    /// <param name="username">The name as typed or as found in a token.</param>
    /// <returns>The normalised name; no structural validation is done, as on the server.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="username"/> is <see langword="null"/>.</exception>
    public static string NormalizeUsername(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        return Internal.CrdbNameNormalizer.Normalize(username);
    }

    /// <summary>
    /// Returns whether CockroachDB refuses JWT logins to this user: <c>root</c>, <c>public</c>, <c>none</c>, <c>node</c>,
    /// and names starting with <c>pg_</c> or <c>crdb_internal_</c> (after normalisation).
    /// </summary>
    /// <param name="username">The SQL username.</param>
    /// <returns><see langword="true"/> for a reserved user.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="username"/> is <see langword="null"/>.</exception>
    public static bool IsReservedUsername(string username)
    {
        var name = NormalizeUsername(username);
        return name is "root" or "public" or "none" or "node"
            || name.StartsWith("pg_", StringComparison.Ordinal)
            || name.StartsWith("crdb_internal_", StringComparison.Ordinal);
    }

    /// <summary>
    /// Computes the SQL usernames the cluster accepts for a token (validation steps 5–7: principals from the claim,
    /// mapped through the identity map of the token's issuer), with the cluster's failure message when there are none.
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="claim">The principal claim (<c>server.jwt_authentication.claim</c>); <see langword="null"/> or empty means <c>sub</c>.</param>
    /// <param name="map">The identity map (<c>server.identity_map.configuration</c>); <see langword="null"/> means none.</param>
    /// <returns>The resolution; use <see cref="JwtIdentityResolution.CheckUsername"/> for the requested-user steps.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    public static JwtIdentityResolution ResolveAcceptedUsernames(JwtToken token, string? claim, IdentityMap? map)
    {
        ArgumentNullException.ThrowIfNull(token);
        var claimName = string.IsNullOrEmpty(claim) ? "sub" : claim;
        var issuer = token.Issuer ?? string.Empty;
        map ??= IdentityMap.Empty;
        var hasMap = map.HasMap(issuer);
        var principals = token.GetPrincipals(claimName);
        if (principals is null)
        {
            return new JwtIdentityResolution(issuer, claimName, [], [], hasMap, "missing claim", $"token does not contain a claim for {claimName}");
        }

        var accepted = new List<string>();
        foreach (var principal in principals)
        {
            var names = hasMap ? map.Map(issuer, principal) : [NormalizeUsername(principal)];
            foreach (var name in names)
            {
                if (!accepted.Contains(name, StringComparer.Ordinal))
                {
                    accepted.Add(name);
                }
            }
        }

        return accepted.Count == 0
            ? new JwtIdentityResolution(issuer, claimName, principals, [], hasMap, "invalid principal", $"the value {Internal.GoText.List(principals)} for the issuer {issuer} is invalid")
            : new JwtIdentityResolution(issuer, claimName, principals, accepted, hasMap, null, null);
    }
}
