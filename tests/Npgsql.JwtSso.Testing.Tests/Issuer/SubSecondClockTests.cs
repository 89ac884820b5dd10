using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class SubSecondClockTests
{
    [Fact]
    public async Task TokenEndpoint_ClockBetweenSeconds_ExpiresInEqualsLifetimeAndClaimsTruncated()
    {
        var wholeSecond = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(wholeSecond.AddMilliseconds(700));
        await using var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromSeconds(90.5) });
        using var client = new HttpClient();

        using var response = await client.PostAsync(new Uri(issuer.HttpUri, "token"), new FormUrlEncodedContent([]));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var token = JwtToken.Parse(body.RootElement.GetProperty("access_token").GetString()!);

        Assert.Equal(wholeSecond, token.IssuedAt);
        Assert.Equal(wholeSecond.AddSeconds(90), token.ExpiresOn);
        Assert.Equal(90, body.RootElement.GetProperty("expires_in").GetInt64());
    }
}
