using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>The emulator's log messages. None takes a token: only users, SQLSTATEs and the server's texts.</summary>
internal static partial class EmulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "CockroachDB JWT emulator listening on 127.0.0.1:{Port}, forwarding to PostgreSQL at {UpstreamHost}:{UpstreamPort}")]
    internal static partial void Listening(ILogger logger, int port, string upstreamHost, int upstreamPort);

    [LoggerMessage(2, LogLevel.Debug, "Login for user {User} (TLS: {Tls}, JWT flag: {JwtFlag})")]
    internal static partial void LoginStarted(ILogger logger, string user, bool tls, bool? jwtFlag);

    [LoggerMessage(3, LogLevel.Information, "JWT token detected; attempting to use it (user {User})")]
    internal static partial void TokenReceived(ILogger logger, string user);

    [LoggerMessage(4, LogLevel.Warning, "Login for user {User} rejected: {SqlState} {Message} (detail: {Detail}; log-only: {LogDetail})")]
    internal static partial void Rejected(ILogger logger, string user, string sqlState, string message, string? detail, string? logDetail);

    [LoggerMessage(5, LogLevel.Information, "Login for user {User} accepted; splicing to PostgreSQL")]
    internal static partial void Accepted(ILogger logger, string user);

    [LoggerMessage(6, LogLevel.Debug, "Connection ended: {Reason}")]
    internal static partial void ConnectionEnded(ILogger logger, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Connection failed: {ExceptionType}: {ExceptionMessage}")]
    internal static partial void ConnectionFailed(ILogger logger, string exceptionType, string exceptionMessage);

    [LoggerMessage(7, LogLevel.Trace, "Forwarded a CancelRequest to PostgreSQL")]
    internal static partial void CancelForwarded(ILogger logger);
}
