namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>The exit codes of <c>crdb-jwt</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>doctor</c>: no problem found.</summary>
    public const int Ok = 0;

    /// <summary><c>doctor</c> found at least one problem (or the test login was rejected).</summary>
    public const int ProblemsFound = 1;

    /// <summary>The command line is wrong: unknown or missing options, invalid values.</summary>
    public const int Usage = 2;

    /// <summary>The token source could not produce a token.</summary>
    public const int TokenUnavailable = 3;

    /// <summary>A network resource (cluster, discovery document, JWKS) could not be read.</summary>
    public const int Unavailable = 4;

    /// <summary>The command was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
