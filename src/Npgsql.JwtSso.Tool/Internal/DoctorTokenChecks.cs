using System.Globalization;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Doctor checks that need only the token and the local clock, plus the cluster-setting comparisons.</summary>
internal static class DoctorTokenChecks
{
    private static readonly TimeSpan ShortLife = TimeSpan.FromMinutes(1);

    public static IEnumerable<DoctorFinding> Clock(JwtToken token, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        if (token.ExpiresOn is not { } exp)
        {
            yield return DoctorFinding.Warn("exp", "The token has no 'exp': CockroachDB accepts it forever.", "Have the identity provider issue tokens with an expiry.");
        }
        else if (nowSeconds >= exp.ToUnixTimeSeconds())
        {
            var hint = CockroachServerErrors.GetHint("28000", "JWT authentication: invalid token", "unable to parse token: \"exp\" not satisfied", token);
            yield return DoctorFinding.Problem("exp", $"The token expired at {Format(exp)}, {Ago(now - exp)} ago by this machine's clock.", "Fetch a fresh token (crdb-jwt token …). " + hint);
        }
        else if (exp - now < ShortLife)
        {
            yield return DoctorFinding.Warn("exp", $"The token expires at {Format(exp)}, in {Ago(exp - now)}.", "Fetch a fresh token right before connecting.");
        }
        else
        {
            yield return DoctorFinding.Ok("exp", $"The token is valid until {Format(exp)} (in {Ago(exp - now)}).");
        }

        foreach (var (name, value) in new[] { ("nbf", token.NotBefore), ("iat", token.IssuedAt) })
        {
            if (value is { } t && nowSeconds < t.ToUnixTimeSeconds())
            {
                var hint = CockroachServerErrors.GetHint("28000", "JWT authentication: invalid token", $"unable to parse token: \"{name}\" not satisfied", token);
                yield return DoctorFinding.Problem(name, $"The token's '{name}' is {Format(t)}, {Ago(t - now)} in the future by this machine's clock; CockroachDB allows no clock skew.", hint);
            }
        }
    }

    public static DoctorFinding Enabled(ClusterJwtSettings settings)
        => settings.Enabled switch
        {
            null => DoctorFinding.Skip("enabled", $"{ClusterJwtSettings.EnabledName} not known (give --setting or --admin-connection)."),
            true => DoctorFinding.Ok("enabled", $"{ClusterJwtSettings.EnabledName} is true."),
            false => DoctorFinding.Rejection("enabled", "not enabled", null, null, null, null, $"{ClusterJwtSettings.EnabledName} is false. "),
        };

    public static DoctorFinding Issuer(JwtToken token, ClusterJwtSettings settings)
    {
        if (settings.Issuers is not { } issuers)
        {
            return DoctorFinding.Skip("issuer", $"{ClusterJwtSettings.IssuersName} not known; the token's issuer is '{token.Issuer}'.");
        }

        var iss = token.Issuer ?? string.Empty;
        if (issuers.Contains(iss, StringComparer.Ordinal))
        {
            return DoctorFinding.Ok("issuer", $"The token's issuer '{iss}' is configured.");
        }

        var near = issuers.FirstOrDefault(i => string.Equals(i.TrimEnd('/'), iss.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
        var prefix = $"The token's issuer '{iss}' is not in {ClusterJwtSettings.IssuersName} {GoList(issuers)}"
            + (near is null ? ". " : $" (close to '{near}', but issuers are compared exactly). ");
        return DoctorFinding.Rejection("issuer", "invalid issuer", $"token issued by {iss}", token, null, null, prefix);
    }

    public static DoctorFinding Audience(JwtToken token, ClusterJwtSettings settings)
    {
        if (settings.Audiences is not { } audiences)
        {
            return DoctorFinding.Skip("audience", $"{ClusterJwtSettings.AudienceName} not known; the token's audience is {GoList(token.Audiences)}.");
        }

        if (token.Audiences.Any(a => audiences.Contains(a, StringComparer.Ordinal)))
        {
            return DoctorFinding.Ok("audience", $"The token's audience {GoList(token.Audiences)} matches {ClusterJwtSettings.AudienceName}.");
        }

        var prefix = $"None of the token's audiences {GoList(token.Audiences)} is in {ClusterJwtSettings.AudienceName} {GoList(audiences)}. ";
        return DoctorFinding.Rejection("audience", "invalid audience", $"token issued with an audience of {GoList(token.Audiences)}", token, null, null, prefix);
    }

    /// <summary>The principal claim → identity map → SQL user steps, through the core's single implementation.</summary>
    public static IEnumerable<DoctorFinding> Identity(JwtToken token, ClusterJwtSettings settings, string? claimOverride, string? user)
    {
        var claim = settings.Claim ?? claimOverride ?? "sub";
        var map = settings.GetIdentityMap(out var mapError);
        if (mapError is not null)
        {
            yield return DoctorFinding.Problem("identity-map", $"{ClusterJwtSettings.IdentityMapName} does not parse: {mapError}. The cluster treats it as empty.", "Fix the line: each is '<issuer> <principal or /regex> <sql user>'.");
        }

        var resolution = CockroachJwtIdentity.ResolveAcceptedUsernames(token, claim, map);
        var mapNote = map is null ? " (identity map not known: raw principals assumed)" : resolution.IssuerHasMap ? " (through the identity map)" : string.Empty;
        if (!resolution.Succeeded)
        {
            yield return DoctorFinding.Rejection("principal", resolution.FailureReason!, resolution.FailureDetail, token, claim, user);
            yield break;
        }

        yield return DoctorFinding.Ok("principal", $"Claim '{claim}' holds {GoList(resolution.Principals)}; accepted SQL users: {GoList(resolution.AcceptedUsernames)}{mapNote}.");
        if (string.IsNullOrEmpty(user))
        {
            yield return DoctorFinding.Skip("user", "No SQL user given (--user or --connection): log in as one of the accepted users.");
        }
        else if (resolution.CheckUsername(user, out var resolved, out var reason, out var detail))
        {
            yield return DoctorFinding.Ok("user", $"SQL user '{resolved}' is accepted for this token.");
        }
        else
        {
            yield return DoctorFinding.Rejection("user", reason!, detail, token, claim, user);
        }
    }

    public static DoctorFinding Tls(NpgsqlConnectionStringBuilder? builder)
    {
        if (builder is null)
        {
            return DoctorFinding.Skip("tls", "No --connection given.");
        }

        return builder.SslMode switch
        {
            SslMode.VerifyFull => DoctorFinding.Ok("tls", "sslmode verify-full: the token only goes to the verified cluster."),
            SslMode.VerifyCA => DoctorFinding.Warn("tls", "sslmode verify-ca: the certificate's host name is not checked.", "Use sslmode=verify-full."),
            SslMode.Require => DoctorFinding.Warn("tls", "sslmode require: encrypted, but the server certificate is not verified, so the token could be handed to an impostor.", "Use sslmode=verify-full with sslrootcert=<the cluster's ca.crt>."),
            _ => DoctorFinding.Problem("tls", $"sslmode {builder.SslMode.ToString().ToLowerInvariant()}: the token may travel in clear text; a secure CockroachDB node refuses non-TLS connections and Npgsql.JwtSso refuses to send a token without TLS.", "Use sslmode=verify-full with sslrootcert=<the cluster's ca.crt>."),
        };
    }

    public static string GoList(IEnumerable<string> values) => "[" + string.Join(' ', values) + "]";

    private static string Format(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Ago(TimeSpan span)
    {
        span = span.Duration();
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds}s"
            : $"{(int)span.TotalSeconds}s";
    }
}
