using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Internal;

/// <summary>Log messages of the Npgsql wiring; they name settings, users and token fingerprints, never token text.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "JWT single sign-on is running with SSL Mode={SslMode}: the token is sent as a cleartext password without certificate verification. Use SSL Mode=VerifyFull outside insecure development clusters.")]
    public static partial void InsecureTransport(ILogger logger, SslMode sslMode);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "The SQL username {Username} is accepted for the token {Token} (claim {Claim}).")]
    public static partial void UsernameVerified(ILogger logger, string username, string token, string claim);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "The SQL username {Username} was derived from the token {Token} (claim {Claim}).")]
    public static partial void UsernameDerived(ILogger logger, string username, string token, string claim);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The cluster rejected the cached token {Token} ({Reason}); invalidating it and retrying the open once with a fresh token.")]
    public static partial void RetryingRejectedOpen(ILogger logger, string token, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "JWT single sign-on is running with SSL Mode=VerifyCA: the server's certificate chain is checked against the Root Certificate, but not its host name. Use SSL Mode=VerifyFull unless the private CA issues certificates only to the cluster's nodes.")]
    public static partial void VerifyCaWithPrivateRoot(ILogger logger);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "The cluster found the token {Token} not yet valid ({Reason}: its iat/nbf lies in the cluster's future); re-sending the same token in {Delay}.")]
    public static partial void ResendingNotYetValid(ILogger logger, string token, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "The cluster rejected the token with fingerprint {Fingerprint} again for the same reason ({Reason}); not retrying.")]
    public static partial void RejectedAgainUnchanged(ILogger logger, string fingerprint, string reason);
}
