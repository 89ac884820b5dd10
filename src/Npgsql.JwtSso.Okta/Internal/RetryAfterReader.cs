using System.Globalization;
using System.Net.Http.Headers;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>Reads how long the server asked us to wait (through the shared <see cref="JwtSsoRetryAfter"/>) and describes Okta's rate-limit headers.</summary>
internal static class RetryAfterReader
{
    internal static TimeSpan? Read(HttpResponseMessage? response, TimeProvider time)
        => JwtSsoRetryAfter.TryParse(response?.Headers, time, out var delay) ? delay : null;

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
