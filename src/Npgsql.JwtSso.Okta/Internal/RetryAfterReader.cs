using System.Globalization;
using System.Net.Http.Headers;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>Reads how long the server asked us to wait (through the shared <see cref="JwtSsoRetryAfter"/>) and describes Okta's rate-limit headers.</summary>
internal static class RetryAfterReader
{
    /// <remarks>
    /// Okta sends its <c>X-Rate-Limit-*</c> headers on every response: <c>X-Rate-Limit-Reset</c> is when the rate-limit
    /// window resets, which is a reason to wait only when the answer is 429. On any other status only <c>Retry-After</c>
    /// counts, so a 503 during an outage does not park the cache until the end of the minute.
    /// </remarks>
    internal static TimeSpan? Read(HttpResponseMessage? response, TimeProvider time)
    {
        if (response is null)
        {
            return null;
        }

        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            return JwtSsoRetryAfter.TryParse(response.Headers, time, out var delay) ? delay : null;
        }

        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        var date = response.Headers.TryGetValues("Date", out var dates) ? dates.FirstOrDefault() : null;
        return JwtSsoRetryAfter.TryParse(retryAfter, date, rateLimitReset: null, time.GetUtcNow(), out var wait) ? wait : null;
    }

    internal static string Describe(HttpResponseMessage? response)
    {
        if (response is null)
        {
            return string.Empty;
        }

        var parts = new List<string>(3);
        foreach (var name in (ReadOnlySpan<string>)["X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"])
        {
            if (TryGetLong(response.Headers, name, out var value))
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {value}"));
            }
        }

        return parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})";
    }

    private static bool TryGetLong(HttpResponseHeaders headers, string name, out long value)
    {
        value = 0;
        return headers.TryGetValues(name, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
