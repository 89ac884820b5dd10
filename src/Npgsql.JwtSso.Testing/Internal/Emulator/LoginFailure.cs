namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>A rejected login: what the client sees (SQLSTATE, message, DETAIL) and an optional log-only explanation.</summary>
internal sealed record LoginFailure(string SqlState, string Message, string? Detail = null, string? LogDetail = null)
{
    internal const string InvalidAuthorization = "28000";
    internal const string InvalidPassword = "28P01";
    internal const string ProtocolViolation = "08P01";

    internal static LoginFailure Jwt(string reason, string? detail = null, string? logDetail = null)
        => new(InvalidAuthorization, "JWT authentication: " + reason, detail, logDetail);

    internal static LoginFailure PasswordFailed(string user, string sqlState = InvalidPassword)
        => new(sqlState, $"password authentication failed for user {user}");

    internal static LoginFailure NoLoginPrivilege(string user)
        => new(InvalidAuthorization, $"{user} does not have login privilege");
}
