using Azure.Core.Pipeline;
using Npgsql.JwtSso.Azure.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.Azure.Tests.RealSdk;

/// <summary>
/// Credentials the library builds leave retries to the refresh engine: one failed attempt of the source is one
/// request at the fake (no Azure.Core retry policy underneath), measured through the real Azure.Identity and MSAL.
/// </summary>
[Collection(EntraCollection.Name)]
public sealed class RetryBoundTests
{
    private const string Secret = "retry~bound-secret";
    private readonly EntraFixture _fixture;
    private readonly ITestOutputHelper _output;

    public RetryBoundTests(EntraFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        fixture.Reset();
    }

    private LocalJwtIssuer Issuer => _fixture.Issuer;

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task ClientSecret_ServerError_OneRequestPerAttempt(int status)
    {
        var source = new AzureTokenSource(SecretOptionsWithoutRetrySetting());
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.ServerError(status));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        var afterFirst = Issuer.RequestCount(IssuerEndpointNames.EntraToken);
        await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        var afterSecond = Issuer.RequestCount(IssuerEndpointNames.EntraToken);
        _output.WriteLine($"requests per attempt: {afterFirst}, {afterSecond - afterFirst}");

        Assert.True(ex.IsTransient, ex.Message);
        Assert.Equal(1, afterFirst);
        Assert.Equal(2, afterSecond);
    }

    [Fact]
    public async Task ClientSecret_ConnectionReset_OneRequestPerAttempt()
    {
        var source = new AzureTokenSource(SecretOptionsWithoutRetrySetting());
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.ConnectionReset());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        _output.WriteLine($"requests: {Issuer.RequestCount(IssuerEndpointNames.EntraToken)}");

        Assert.True(ex.IsTransient, ex.Message);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.EntraToken));
    }

    [Fact]
    public async Task ClientSecret_CallerSetsRetries_CallerWins()
    {
        var options = SecretOptionsWithoutRetrySetting(o => o.Retry.MaxRetries = 1);
        var source = new AzureTokenSource(options);
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.ConnectionReset());

        await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(2, Issuer.RequestCount(IssuerEndpointNames.EntraToken));
    }

    /// <summary>Like <see cref="EntraFixture.Options"/>, but only the transport is set: the retry policy is the library's.</summary>
    private AzureTokenSourceOptions SecretOptionsWithoutRetrySetting(Action<global::Azure.Identity.TokenCredentialOptions>? configure = null)
    {
        var clientId = Guid.NewGuid().ToString(); // MSAL throttles per client process-wide: a fresh one per test
        _fixture.Entra.AddClientSecret(clientId, Secret, "4f0b2a6e-1c3d-4e5f-8a9b-0c1d2e3f4b01");
        return new AzureTokenSourceOptions
        {
            Scope = EntraFixture.ClusterScope,
            CredentialKind = AzureCredentialKind.ClientSecret,
            TenantId = _fixture.Entra.TenantId,
            ClientId = clientId,
            ClientSecret = Secret,
            AuthorityHost = Issuer.HttpsUri,
            DisableInstanceDiscovery = true,
            ConfigureCredentialOptions = o =>
            {
                o.Transport = new HttpClientTransport(Issuer.CreateHttpClientHandler());
                configure?.Invoke(o);
            },
        };
    }
}
