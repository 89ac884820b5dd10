using System.Net;
using Xunit;

namespace Npgsql.JwtSso.Testing.Tests.Issuer;

public sealed class IssuerLifetimeTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DisposeAsync_HangingRequest_ReleasedAndListenersClosed()
    {
        var issuer = await LocalJwtIssuer.StartAsync();
        issuer.Faults.Set(IssuerEndpointNames.Token, IssuerFault.Hang());
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        issuer.RequestRecorded += _ => arrived.TrySetResult();
        using var client = new HttpClient();

        var request = client.PostAsync(new Uri(issuer.HttpUri, "token"), new FormUrlEncodedContent([]));
        await arrived.Task.WaitAsync(HangGuard);
        await issuer.DisposeAsync().AsTask().WaitAsync(HangGuard);

        await Assert.ThrowsAsync<HttpRequestException>(() => request.WaitAsync(HangGuard));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(issuer.HttpUri, "jwks")));
    }

    [Fact]
    public async Task DisposeAsync_Twice_NoError()
    {
        var issuer = await LocalJwtIssuer.StartAsync();

        await issuer.DisposeAsync();
        var second = await Record.ExceptionAsync(() => issuer.DisposeAsync().AsTask());

        Assert.Null(second);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TokenLifetime = TimeSpan.Zero }));

        Assert.Contains("TokenLifetime", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_IssuerOption_UsedForIssAndDiscovery()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { Issuer = "https://idp.example/tenant" });
        using var client = new HttpClient();

        var discovery = await client.GetStringAsync(new Uri(issuer.HttpUri, ".well-known/openid-configuration"));

        Assert.Equal("https://idp.example/tenant", issuer.Issuer);
        Assert.Equal("https://idp.example/tenant", JwtToken.Parse(issuer.MintToken("s", "a", TimeSpan.FromMinutes(1))).Issuer);
        Assert.Contains("\"issuer\":\"https://idp.example/tenant\"", discovery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Default_IssuerIsHttpBaseWithoutSlash()
    {
        await using var issuer = await LocalJwtIssuer.StartAsync();
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(issuer.HttpUri, "jwks"));

        Assert.Equal($"http://127.0.0.1:{issuer.HttpUri.Port}", issuer.Issuer);
        Assert.Equal("https", issuer.HttpsUri.Scheme);
        Assert.NotEqual(issuer.HttpUri.Port, issuer.HttpsUri.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
