using System.Globalization;
using System.Net.Http;
using Npgsql.JwtSso.Tests.Sources;
using Xunit;

namespace Npgsql.JwtSso.Tests.Refresh;

public sealed class JwtSsoRetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", null, null, 120)]
    [InlineData(" 0 ", null, null, 0)]
    [InlineData("Thu, 01 Jan 2026 12:05:00 GMT", null, null, 300)] // HTTP-date without Date: against the local clock
    [InlineData("Thu, 01 Jan 2026 12:05:00 GMT", "Thu, 01 Jan 2026 11:59:00 GMT", null, 360)] // against the response's Date
    [InlineData("Thursday, 01-Jan-26 12:01:00 GMT", "Thu, 01 Jan 2026 12:00:00 GMT", null, 60)] // RFC 850 form
    [InlineData("Thu, 01 Jan 2026 11:00:00 GMT", null, null, 0)] // in the past
    [InlineData(null, null, "1767269100", 300)] // Okta: epoch seconds of 12:05:00
    [InlineData("30", null, "1767269100", 30)] // Retry-After wins
    [InlineData("soon", null, "1767269100", 300)] // a malformed Retry-After falls back to Okta's header
    public void TryParse_Forms_GiveTheDelay(string? retryAfter, string? date, string? reset, double expectedSeconds)
    {
        Assert.True(JwtSsoRetryAfter.TryParse(retryAfter, date, reset, Now, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Theory]
    [InlineData("99999999999999999999999999", null, null)] // beyond long
    [InlineData("2147483648", null, null)] // beyond int (RetryConditionHeaderValue rejects it)
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT", null, null)]
    [InlineData(null, null, "99999999999999")] // beyond DateTimeOffset: FromUnixTimeSeconds would throw
    [InlineData(null, null, "9223372036854775807")]
    public void TryParse_OutOfRange_SaturatesAtMaxDelayWithoutThrowing(string? retryAfter, string? date, string? reset)
    {
        Assert.True(JwtSsoRetryAfter.TryParse(retryAfter, date, reset, Now, out var delay));
        Assert.Equal(JwtSsoRetryAfter.MaxDelay, delay);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("1.5", null, null)]
    [InlineData(null, null, "-1")]
    [InlineData(null, null, "tomorrow")]
    public void TryParse_NothingUsable_ReturnsFalse(string? retryAfter, string? date, string? reset)
        => Assert.False(JwtSsoRetryAfter.TryParse(retryAfter, date, reset, Now, out _));

    [Fact]
    public void TryParse_Headers_ReadsRawValuesIncludingOnesHttpClientRejects()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "99999999999");
        response.Headers.TryAddWithoutValidation("X-Rate-Limit-Reset", "1767269100");

        Assert.True(JwtSsoRetryAfter.TryParse(response.Headers, new TestTime(), out var delay));
        Assert.Equal(JwtSsoRetryAfter.MaxDelay, delay);
    }

    [Fact]
    public void TryParse_HeadersWithDate_MeasuresTheDateFormAgainstTheServersClock()
    {
        // The local clock is an hour off; the server's Date header keeps the answer right.
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "Thu, 01 Jan 2026 12:02:00 GMT");
        response.Headers.TryAddWithoutValidation("Date", "Thu, 01 Jan 2026 12:00:00 GMT");
        var time = new TestTime();
        time.SetUtcNow(Now.AddHours(1));

        Assert.True(JwtSsoRetryAfter.TryParse(response.Headers, time, out var delay));
        Assert.Equal(TimeSpan.FromMinutes(2), delay);
    }

    [Fact]
    public async Task GitHubActionsSource_RetryAfterAsHttpDate_ReportsTheDelay()
    {
        using var server = new FakeHttpServer();
        var until = TimeProvider.System.GetUtcNow().AddMinutes(2).ToString("r", CultureInfo.InvariantCulture);
        server.Respond = _ => new FakeHttpServer.Response(429, "{}", new Dictionary<string, string> { ["Retry-After"] = until });
        var source = GitHubActionsTokenSourceTests.Create(server);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        // Measured against the server's Date header (whole seconds), so between 1 and 2 minutes.
        Assert.NotNull(ex.RetryAfter);
        Assert.InRange(ex.RetryAfter.Value, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(121));
    }
}
