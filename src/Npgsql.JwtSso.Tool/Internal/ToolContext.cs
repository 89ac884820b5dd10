namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>What the commands need from the outside world; tests replace parts of it.</summary>
internal sealed class ToolContext
{
    /// <summary>Gets the clock the doctor compares <c>exp</c>/<c>nbf</c>/<c>iat</c> with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Gets a factory for the HTTP handler used for identity providers and discovery documents (tests trust the local issuer's certificate).</summary>
    public Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    /// <summary>Gets how cluster settings are read from an admin connection string.</summary>
    public Func<string, CancellationToken, Task<ClusterJwtSettings>> ReadClusterSettings { get; init; } = ClusterSettingsReader.ReadAsync;

    public HttpClient CreateHttpClient()
    {
        var handler = HttpHandlerFactory?.Invoke() ?? new SocketsHttpHandler();
        return new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
