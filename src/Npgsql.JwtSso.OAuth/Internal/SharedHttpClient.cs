namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>One process-wide client for sources not given their own, so sockets are pooled and DNS changes are picked up.</summary>
internal static class SharedHttpClient
{
    internal static HttpClient Instance { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
}
