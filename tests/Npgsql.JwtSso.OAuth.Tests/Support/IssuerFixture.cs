using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests.Support;

/// <summary>One local issuer (with its emulated Okta org, a real OAuth server to the generic grant) on a fake clock, shared by the tests of a class.</summary>
public sealed class IssuerFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 30, TimeSpan.Zero));

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public Uri CustomIssuer => LocalOktaOrg.IssuerFor(Issuer.HttpUri, LocalOktaOrg.DefaultServerId);

    public async Task InitializeAsync()
    {
        Issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = Time });
        Http = new HttpClient(Issuer.CreateHttpClientHandler());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Issuer.DisposeAsync();
    }

    /// <summary>Registers an app with a fresh client id and returns it.</summary>
    public LocalOktaClient AddClient(Action<LocalOktaClient>? configure = null)
    {
        var client = new LocalOktaClient { ClientId = "0oa" + Guid.NewGuid().ToString("N")[..17], ClientSecret = "secret-" + Guid.NewGuid().ToString("N") };
        configure?.Invoke(client);
        Issuer.Okta.AddClient(client);
        return client;
    }
}
