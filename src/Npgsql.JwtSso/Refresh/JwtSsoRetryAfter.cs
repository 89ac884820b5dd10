using System.Globalization;
using System.Net.Http.Headers;

namespace Npgsql.JwtSso;

/// <summary>
/// Reads how long an HTTP server asked a client to wait, for <see cref="JwtSsoException.RetryAfter"/>: <c>Retry-After</c>
/// in either form (delta-seconds, or an HTTP-date measured against the response's <c>Date</c> header so the server's
/// clock is compared with itself), else Okta's <c>X-Rate-Limit-Reset</c> (Unix epoch seconds, measured against the
/// local clock). Every token source that talks HTTP uses this one reader. It never throws: malformed values are
/// ignored, values in the past give zero and values beyond <see cref="MaxDelay"/> (or beyond any date) give
/// <see cref="MaxDelay"/>. The refresh engine caps the result further at <see cref="JwtSsoOptions.MaxRetryDelay"/>.
/// </summary>
public static class JwtSsoRetryAfter
{
    private const string RetryAfterHeader = "Retry-After";
    private const string DateHeader = "Date";
    private const string RateLimitResetHeader = "X-Rate-Limit-Reset";

    /// <summary>Gets the largest delay this reader returns (one day, the upper bound of <see cref="JwtSsoOptions.MaxRetryDelay"/>).</summary>
    public static TimeSpan MaxDelay { get; } = TimeSpan.FromDays(1);

    /// <summary>Reads the delay a response's headers ask for.</summary>
    /// <param name="headers">The response headers (for example <c>HttpResponseMessage.Headers</c>, or MSAL's <c>MsalServiceException.Headers</c>); <see langword="null"/> gives <see langword="false"/>.</param>
    /// <param name="timeProvider">The clock for dates without a <c>Date</c> header and for <c>X-Rate-Limit-Reset</c>; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="delay">The delay, between zero and <see cref="MaxDelay"/>.</param>
    /// <returns><see langword="true"/> when a header gave a delay.</returns>
    public static bool TryParse(HttpResponseHeaders? headers, TimeProvider? timeProvider, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        return headers is not null
            && TryParse(First(headers, RetryAfterHeader), First(headers, DateHeader), First(headers, RateLimitResetHeader), (timeProvider ?? TimeProvider.System).GetUtcNow(), out delay);
    }

    /// <summary>Reads the delay from raw header values (for HTTP stacks that do not use <see cref="HttpResponseHeaders"/>).</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> value, or <see langword="null"/>.</param>
    /// <param name="date">The response's <c>Date</c> value, or <see langword="null"/>.</param>
    /// <param name="rateLimitReset">Okta's <c>X-Rate-Limit-Reset</c> value, or <see langword="null"/>.</param>
    /// <param name="now">The local clock's current time.</param>
    /// <param name="delay">The delay, between zero and <see cref="MaxDelay"/>.</param>
    /// <returns><see langword="true"/> when a value gave a delay.</returns>
    public static bool TryParse(string? retryAfter, string? date, string? rateLimitReset, DateTimeOffset now, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (retryAfter is not null)
        {
            if (TryParseSeconds(retryAfter, out var seconds))
            {
                delay = Clamp(seconds);
                return true;
            }

            if (TryParseDate(retryAfter, out var until))
            {
                var reference = date is not null && TryParseDate(date, out var sent) ? sent : now;
                delay = Clamp((until - reference).TotalSeconds);
                return true;
            }
        }

        if (rateLimitReset is not null && TryParseSeconds(rateLimitReset, out var epoch))
        {
            delay = Clamp(epoch - now.ToUnixTimeSeconds());
            return true;
        }

        return false;
    }

    private static string? First(HttpResponseHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Non-negative whole seconds of any length (an overlong value saturates instead of failing).</summary>
    private static bool TryParseSeconds(string text, out double seconds)
    {
        var span = text.AsSpan().Trim();
        seconds = 0;
        if (span.IsEmpty || span.Length > 64)
        {
            return false;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        seconds = double.Parse(span, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryParseDate(string text, out DateTimeOffset value)
    {
        // RetryConditionHeaderValue accepts exactly the HTTP-date forms (IMF-fixdate, RFC 850, asctime).
        value = default;
        if (RetryConditionHeaderValue.TryParse(text, out var parsed) && parsed.Date is { } date)
        {
            value = date;
            return true;
        }

        return false;
    }

    private static TimeSpan Clamp(double seconds)
        => seconds <= 0 || double.IsNaN(seconds) ? TimeSpan.Zero
            : seconds >= MaxDelay.TotalSeconds ? MaxDelay
            : TimeSpan.FromSeconds(seconds);
}
