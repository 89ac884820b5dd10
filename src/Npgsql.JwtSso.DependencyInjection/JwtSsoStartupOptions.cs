namespace Npgsql.JwtSso;

/// <summary>What a JWT single sign-on instance does when the host starts.</summary>
public sealed class JwtSsoStartupOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the first token is fetched while the host starts, so the first query never
    /// waits on the identity provider.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a failed warm-up stops the host from starting. When <see langword="false"/>,
    /// the failure is logged, the health check reports unhealthy, and the engine keeps retrying with backoff.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FailFast { get; set; } = true;
}
