using System.Net;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

/// <summary>The README's issuer snippets, compiled and run.</summary>
public sealed class ReadmeSampleTests
{
    [Fact]
    public async Task Readme_FakeClockAndFaults_BehaveAsDocumented()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromMinutes(10) });

        var jwt = JwtToken.Parse(issuer.MintToken(new JwtMintOptions
        {
            Subject = "alice",
            Audiences = ["crdb-cluster", "other"],
            KeyId = LocalJwtIssuer.EcKeyId,
            Claims = { ["email"] = "alice@example.com", ["groups"] = new[] { "admins" }, ["iat"] = null },
            Header = { ["typ"] = null, ["x5t"] = "abc" },
        }));
        time.Advance(TimeSpan.FromMinutes(9));
        var later = JwtToken.Parse(issuer.MintToken("alice", audience: "crdb-cluster", lifetime: TimeSpan.FromMinutes(15)));

        issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ServerError(503));
        issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.TooManyRequests(TimeSpan.FromSeconds(2)), times: 1);
        using var client = new HttpClient(issuer.CreateHttpClientHandler());
        using var first = await client.PostAsync(new Uri(issuer.HttpsUri, "token"), new FormUrlEncodedContent([]));
        using var second = await client.PostAsync(new Uri(issuer.HttpsUri, "token"), new FormUrlEncodedContent([]));

        Assert.Equal("ES256", jwt.Algorithm);
        Assert.Null(jwt.IssuedAt);
        Assert.Equal(time.Start.AddMinutes(10), jwt.ExpiresOn);
        Assert.Equal(time.Start.AddMinutes(9), later.IssuedAt);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, issuer.RequestCount(IssuerEndpointNames.Token));
    }
}
