using System.Globalization;
using System.Net.Http.Headers;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>Reads how long the server asked us to wait: <c>Retry-After</c> first, else Okta's <c>X-Rate-Limit-Reset</c> (epoch seconds).</summary>
internal static class RetryAfterReader
{
    internal static TimeSpan? Read(HttpResponseMessage? response, TimeProvider time)
    {
        if (response is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return NonNegative(delta);
            }

            if (retryAfter.Date is { } date)
            {
                return NonNegative(date - now);
            }
        }

        if (TryGetLong(response.Headers, "X-Rate-Limit-Reset", out var reset))
        {
            return NonNegative(DateTimeOffset.FromUnixTimeSeconds(reset) - now);
        }

        return null;
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

    private static TimeSpan NonNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
