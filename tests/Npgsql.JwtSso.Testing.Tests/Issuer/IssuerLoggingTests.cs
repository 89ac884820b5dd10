using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class IssuerLoggingTests
{
    [Fact]
    public async Task Logs_TraceLevelThroughFaultsAndRequests_NeverContainTokenOrSecretText()
    {
        const string Secret = "s3cr3t-client-secret-value";
        using var capture = new RecordingLoggerFactory();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        var tokens = new List<string>();

        await using (var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { LoggerFactory = loggerFactory }))
        {
            using var handler = issuer.CreateHttpClientHandler();
            using var client = new HttpClient(handler);
            var minted = issuer.MintToken("alice", "crdb", TimeSpan.FromMinutes(5));
            tokens.Add(minted);

            foreach (var baseUri in new[] { issuer.HttpUri, issuer.HttpsUri })
            {
                await client.GetStringAsync(new Uri(baseUri, ".well-known/openid-configuration"));
                await client.GetStringAsync(new Uri(baseUri, "jwks"));
                tokens.Add(await PostTokenAsync(client, baseUri, Secret));
            }

            issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ExpiredToken(), times: 1);
            tokens.Add(await PostTokenAsync(client, issuer.HttpUri, Secret));
            issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.SlowBody(TimeSpan.Zero, 5), times: 1);
            tokens.Add(await PostTokenAsync(client, issuer.HttpUri, Secret));
            issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ServerError(503), times: 1);
            using (await client.PostAsync(new Uri(issuer.HttpUri, "token"), Form(Secret)))
            {
            }

            issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.ConnectionReset(), times: 1);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(issuer.HttpUri, "token"), Form(Secret)));

            // A token sent back to the issuer in a query string and a header: ASP.NET Core's request logging must not show it.
            using var echo = new HttpRequestMessage(HttpMethod.Get, new Uri(issuer.HttpUri, "nope?access_token=" + minted));
            echo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", minted);
            using (await client.SendAsync(echo))
            {
            }
        }

        var log = capture.AllText;
        Assert.Contains("Injected fault ServerError(503) at endpoint token", log, StringComparison.Ordinal);
        Assert.Contains("Request to endpoint jwks", log, StringComparison.Ordinal);
        Assert.True(tokens.Distinct().Count() >= 3, "the minted, served and expired-on-arrival tokens differ");
        Assert.All(tokens, t => Assert.DoesNotContain(t, log, StringComparison.Ordinal));
        Assert.All(tokens, t => Assert.DoesNotContain(t.Split('.')[2], log, StringComparison.Ordinal));
        Assert.DoesNotContain("eyJ", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
    }

    private static FormUrlEncodedContent Form(string secret) =>
        new(new Dictionary<string, string> { ["client_secret"] = secret, ["grant_type"] = "client_credentials" });

    private static async Task<string> PostTokenAsync(HttpClient client, Uri baseUri, string secret)
    {
        using var response = await client.PostAsync(new Uri(baseUri, "token"), Form(secret));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }
}
