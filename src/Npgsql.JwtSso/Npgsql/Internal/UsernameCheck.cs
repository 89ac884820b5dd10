using System.Text;

namespace Npgsql.JwtSso.Internal;

/// <summary>The client-side twin of the cluster's principal and reserved-user checks, with messages that name the fix.</summary>
internal static class UsernameCheck
{
    /// <summary>Returns the username the login will use (derived when <paramref name="username"/> is empty) or throws.</summary>
    /// <exception cref="JwtSsoException"><see cref="JwtSsoErrorKind.IdentityMismatch"/>: the cluster would refuse the login.</exception>
    public static string Resolve(JwtToken token, string? username, JwtSsoOptions options, IdentityMap map, string? sourceName)
    {
        var resolution = CockroachJwtIdentity.ResolveAcceptedUsernames(token, options.PrincipalClaim, map);
        if (resolution.CheckUsername(username, out var user, out var reason, out var detail))
        {
            return user;
        }

        throw new JwtSsoException(JwtSsoErrorKind.IdentityMismatch, sourceName, Describe(resolution, user, reason!, detail!));
    }

    private static string Describe(JwtIdentityResolution r, string user, string reason, string detail)
    {
        var sb = new StringBuilder();
        var issuer = r.Issuer.Length == 0 ? "(none)" : r.Issuer;
        var claim = $"JwtSsoOptions.PrincipalClaim ('{r.Claim}', the cluster's server.jwt_authentication.claim)";
        if (reason == "missing claim")
        {
            sb.Append($"The token from issuer '{issuer}' has no '{r.Claim}' claim, so the cluster would answer 'JWT authentication: missing claim' ({detail}). ");
            sb.Append($"Set {claim} to a claim the token carries, or configure the identity provider to include it.");
            return sb.ToString();
        }

        if (reason == "invalid identity")
        {
            sb.Append($"The SQL username '{user}' is reserved (root, public, none, node, pg_*, crdb_internal_*): CockroachDB refuses JWT logins to it ('JWT authentication: invalid identity', {detail}). ");
            sb.Append("Log in as a regular SQL user and grant it the privileges it needs.");
            return sb.ToString();
        }

        var principals = GoText.List(r.Principals);
        if (user.Length == 0)
        {
            sb.Append($"The connection string has no Username and the token (issuer '{issuer}', claim '{r.Claim}' = {principals}) ");
            sb.Append(r.AcceptedUsernames.Count > 1
                ? $"is accepted for several SQL users {GoText.List(r.AcceptedUsernames)}. Set Username in the connection string to the one to use."
                : "maps to no SQL user. Set Username in the connection string, or fix JwtSsoOptions.IdentityMap / the cluster's server.identity_map.configuration.");
            return sb.ToString();
        }

        sb.Append($"The SQL username '{user}' is not accepted by the cluster for this token: issuer '{issuer}', claim '{r.Claim}' = {principals}");
        sb.Append(r.AcceptedUsernames.Count > 0 ? $", accepted usernames {GoText.List(r.AcceptedUsernames)}. " : ", which maps to no SQL user. ");
        sb.Append($"The cluster would answer 'JWT authentication: invalid principal' ({detail}). Fix: ");
        if (r.AcceptedUsernames.Count > 0)
        {
            sb.Append($"set Username={r.AcceptedUsernames[0]} in the connection string, or ");
        }

        var line = r.Principals.Count > 0 ? IdentityMap.SuggestLine(r.Issuer, r.Principals[0], user) : null;
        sb.Append(line is null
            ? "add a rule for this issuer to server.identity_map.configuration"
            : $"add the line '{line}' to the cluster's server.identity_map.configuration (and to JwtSsoOptions.IdentityMap)");
        sb.Append($"; also check {claim}.");
        return sb.ToString();
    }
}
