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

    /// <summary>Gets the environment variables the tool sees (tests give their own; <see langword="null"/> reads the process's).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Gets the certificate checks of this run (the system's roots, or those of <c>--ca-file</c>).</summary>
    public TlsTrust Trust { get; private set; } = new(null);

    /// <summary>Trusts the CA file of <c>--ca-file</c> (when given) for identity-provider and discovery calls.</summary>
    public void UseCaFile(string? caFile)
    {
        if (caFile is not null)
        {
            Trust = new TlsTrust(caFile);
        }
    }

    public string? GetEnvironmentVariable(string name)
        => Environment is { } env ? env.GetValueOrDefault(name) : System.Environment.GetEnvironmentVariable(name);

    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables()
        => Environment ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? string.Empty));

    public HttpClient CreateHttpClient()
    {
        return new HttpClient(CreateHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The handler for outgoing HTTPS: the test factory unless a CA file was given, else one that records TLS failures.</summary>
    public HttpMessageHandler CreateHttpHandler()
        => HttpHandlerFactory is { } factory && Trust.CaFile is null ? factory() : Trust.CreateHandler();
}
