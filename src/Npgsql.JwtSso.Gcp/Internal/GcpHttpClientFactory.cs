using Google.Apis.Http;

namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>
/// Google's default HTTP client factory plus <see cref="GcpHttpHandler"/>: records <c>Retry-After</c> (the Google
/// library drops response headers from its exceptions) and redirects the IAM Credentials endpoint when configured.
/// </summary>
internal sealed class GcpHttpClientFactory(Uri? iamCredentialsEndpoint) : HttpClientFactory
{
    private TimeSpan? _retryAfter;

    /// <summary>Gets the <c>Retry-After</c> of the last throttled or failed response since <see cref="Reset"/>.</summary>
    internal TimeSpan? RetryAfter => _retryAfter;

    internal void Reset() => _retryAfter = null;

    internal void Record(TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay && delay > TimeSpan.Zero)
        {
            _retryAfter = delay;
        }
    }

    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args)
        => new GcpHttpHandler(this, iamCredentialsEndpoint, base.CreateHandler(args));
}
