using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>Sends the host's logs to the user's factory without taking ownership of it.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

    public void Dispose()
    {
        // The factory belongs to the caller.
    }
}
