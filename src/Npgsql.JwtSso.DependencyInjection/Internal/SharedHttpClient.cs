namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>The HTTP client of sources created without an <see cref="IHttpClientFactory"/>: one per process, as Microsoft's guidance says.</summary>
internal static class SharedHttpClient
{
    public static HttpClient Instance { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
}
