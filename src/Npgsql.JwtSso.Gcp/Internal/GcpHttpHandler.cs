namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>The innermost handler of every HTTP client the Google library builds for a <see cref="GcpTokenSource"/>.</summary>
internal sealed class GcpHttpHandler(GcpHttpClientFactory owner, Uri? iamCredentialsEndpoint, HttpMessageHandler inner)
    : DelegatingHandler(inner)
{
    internal const string IamCredentialsHost = "iamcredentials.googleapis.com";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (iamCredentialsEndpoint is { } target && request.RequestUri is { } uri
            && string.Equals(uri.Host, IamCredentialsHost, StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && JwtSsoRetryAfter.TryParse(response.Headers, null, out var retryAfter))
        {
            owner.Record(retryAfter);
        }

        return response;
    }
}
