using Microsoft.Extensions.Logging;

namespace Npgsql.JwtSso;

/// <summary>What every token source created through <see cref="JwtTokenSourceDescriptor{TOptions}"/> shares: the clock, logging and HTTP.</summary>
public sealed class JwtTokenSourceContext
{
    /// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client the sources use; configure it with <c>services.AddHttpClient(JwtTokenSourceContext.HttpClientName)</c> (proxy, certificates).</summary>
    public const string HttpClientName = "Npgsql.JwtSso";

    private readonly Lazy<HttpClient> _httpClient;

    internal JwtTokenSourceContext(string instanceName, TimeProvider timeProvider, ILoggerFactory loggerFactory, Func<HttpClient> httpClient)
    {
        InstanceName = instanceName;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        _httpClient = new Lazy<HttpClient>(httpClient);
    }

    /// <summary>Gets the name of the JWT SSO instance the source is created for (empty for the default instance).</summary>
    public string InstanceName { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger factory (a no-op factory when logging is not registered).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Gets the HTTP client: from <see cref="System.Net.Http.IHttpClientFactory"/> (named <see cref="HttpClientName"/>), created on first use.</summary>
    public HttpClient HttpClient => _httpClient.Value;
}
