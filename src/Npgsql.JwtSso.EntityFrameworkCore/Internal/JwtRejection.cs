namespace Npgsql.JwtSso.EntityFrameworkCore.Internal;

/// <summary>The one place this package decides whether a failed open is worth one retry with a fresh token.</summary>
internal static class JwtRejection
{
    /// <summary>Returns whether the cluster's rejection of a login could be cured by a fresh token.</summary>
    public static bool IsRetryable(Exception exception)
        => exception is PostgresException pg && CockroachServerErrors.IsJwtRejection(pg);
}
