using System.Diagnostics;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// Names shared by the library's metrics and traces. Tags follow the OpenTelemetry conventions: the library's own are
/// namespaced <c>jwtsso.*</c>, a failure carries <c>error.type</c>; none ever carries token text.
/// </summary>
internal static class JwtSsoTelemetry
{
    public const string Name = global::Npgsql.JwtSso.JwtSsoTelemetry.MeterName;
    public const string SourceTag = global::Npgsql.JwtSso.JwtSsoTelemetry.SourceTag;
    public const string ErrorTypeTag = global::Npgsql.JwtSso.JwtSsoTelemetry.ErrorTypeTag;

    /// <summary>The activity source (there is no factory for activity sources; listeners subscribe by name).</summary>
    public static readonly ActivitySource ActivitySource = new(global::Npgsql.JwtSso.JwtSsoTelemetry.ActivitySourceName, JwtSsoMetrics.Version);

    public static KeyValuePair<string, object?> Source(string sourceName) => new(SourceTag, sourceName);

    /// <summary>The low-cardinality <c>error.type</c> of a failed fetch: the error kind in snake case, e.g. <c>source_failed</c>.</summary>
    public static string ErrorType(JwtSsoErrorKind kind) => kind switch
    {
        JwtSsoErrorKind.SourceFailed => "source_failed",
        JwtSsoErrorKind.InvalidToken => "invalid_token",
        JwtSsoErrorKind.Timeout => "timeout",
        JwtSsoErrorKind.Configuration => "configuration",
        JwtSsoErrorKind.IdentityMismatch => "identity_mismatch",
        JwtSsoErrorKind.ServerRejected => "server_rejected",
        _ => "_OTHER",
    };
}
