namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Reads the standard <c>Retry-After</c> header (either form) through the shared <see cref="JwtSsoRetryAfter"/>.</summary>
internal static class RetryAfterReader
{
    /// <remarks>Vendor headers (Okta's <c>X-Rate-Limit-Reset</c>) are a preset's business, not the generic grant's.</remarks>
    internal static TimeSpan? Read(HttpResponseMessage? response, TimeProvider time)
    {
        if (response is null)
        {
            return null;
        }

        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        var date = response.Headers.TryGetValues("Date", out var dates) ? dates.FirstOrDefault() : null;
        return JwtSsoRetryAfter.TryParse(retryAfter, date, rateLimitReset: null, time.GetUtcNow(), out var wait) ? wait : null;
    }
}
