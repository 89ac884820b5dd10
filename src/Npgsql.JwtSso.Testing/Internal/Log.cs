using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Local JWT issuer listening on {HttpUri} and {HttpsUri}")]
    internal static partial void Started(ILogger logger, Uri httpUri, Uri httpsUri);

    [LoggerMessage(2, LogLevel.Debug, "Request to endpoint {Endpoint}: {Method} {Path}")]
    internal static partial void RequestReceived(ILogger logger, string endpoint, string method, string path);

    [LoggerMessage(3, LogLevel.Information, "Injected fault {Fault} at endpoint {Endpoint}")]
    internal static partial void FaultApplied(ILogger logger, string endpoint, IssuerFault fault);
}
