using System.Net;
using System.Net.Sockets;
using Npgsql.JwtSso.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>Application default credentials on a (fake) metadata server, through the real detection and ComputeCredential.</summary>
[Collection(GcpEnvironmentCollection.Name)]
public sealed class GcpTokenSourceMetadataTests : IDisposable
{
    private readonly GcpTestBed _bed;
    private readonly ITestOutputHelper _output;

    public GcpTokenSourceMetadataTests(GcpMetadataFixture fixture, ITestOutputHelper output)
    {
        _bed = fixture.Bed;
        _output = output;
        _bed.Issuer.Faults.ClearAll();
        _bed.Issuer.ResetRequests();
    }

    public void Dispose() => _bed.Issuer.Faults.ClearAll();

    [Fact]
    public async Task GetTokenAsync_ApplicationDefaultOnMetadataServer_ReturnsFullFormatToken()
    {
        var token = await Source().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.GoogleIssuer, token.Issuer);
        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
        Assert.Equal([GcpTestBed.Audience], token.Audiences);
        Assert.True(token.TryGetClaim("email", out var email));
        Assert.Equal(GcpFake.DefaultServiceAccountEmail, email.GetString());
        Assert.True(token.TryGetClaim("azp", out var azp));
        Assert.Equal(GcpFake.DefaultServiceAccountId, azp.GetString());
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
        var request = Assert.Single(_bed.Issuer.GetRequests(), r => r.Endpoint == IssuerEndpointNames.GcpMetadataIdentity);
        Assert.Contains("format", request.QueryKeys);
    }

    /// <summary>
    /// Issue scenario: a metadata server too slow for Google's detection probe (500 ms × 3, cached negative for the
    /// process) made application default credentials fail with Configuration forever. GCE_METADATA_HOST says a
    /// metadata server is there, so the source goes to it without that probe (run alone, this failed before).
    /// </summary>
    [Fact]
    public async Task GetTokenAsync_MetadataHostSetButDetectionPingNeverAnswers_TokensForThisAndNewSources()
    {
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpMetadataPing, IssuerFault.Hang());

        var token = await Source().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);
        var again = await Source().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
        Assert.Equal(GcpFake.DefaultServiceAccountId, again.Subject);
        Assert.Equal(0, _bed.Calls(IssuerEndpointNames.GcpMetadataPing));
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
    }

    [Fact]
    public async Task GetTokenAsync_IncludeEmailFalse_RequestsStandardFormatWithoutEmail()
    {
        var token = await Source(o => o.IncludeEmail = false).GetTokenAsync(CancellationToken.None);

        Assert.False(token.TryGetClaim("email", out _));
        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
    }

    [Fact]
    public async Task JwtTokenCache_ManyOpensThenNearExpiry_OneIdentityCallPerToken()
    {
        await using var cache = new JwtTokenCache(Source(), null, _bed.Time);

        var first = await cache.GetTokenAsync();
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(first.Value, (await cache.GetTokenAsync()).Value);
        }

        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));

        _bed.Time.Advance(TimeSpan.FromMinutes(59.5));
        var second = await cache.GetTokenAsync().AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.NotEqual(first.Value, second.Value);
        Assert.True(second.ExpiresOn - _bed.Time.GetUtcNow() > TimeSpan.FromMinutes(30));
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
    }

    [Fact]
    public async Task GetTokenAsync_MetadataServerError_IsTransientAndNamesMetadataServer()
    {
        await Source().GetTokenAsync(CancellationToken.None); // detection cached
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpMetadataIdentity, IssuerFault.ServerError(503));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => Source().GetTokenAsync(CancellationToken.None).AsTask());

        _output.WriteLine(ex.Message);
        Assert.True(ex.IsTransient);
        Assert.Contains("metadata server", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_NoServiceAccountOnMetadataServer_HintsWorkloadIdentity()
    {
        await Source().GetTokenAsync(CancellationToken.None);
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpMetadataIdentity, IssuerFault.OAuthError("not_found", 404));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => Source().GetTokenAsync(CancellationToken.None).AsTask());

        _output.WriteLine(ex.Message);
        Assert.False(ex.IsTransient);
        Assert.Contains("Workload Identity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_MetadataServerUnreachable_SaysWhereItOnlyExists()
    {
        await Source().GetTokenAsync(CancellationToken.None);
        using (GcpMetadataFixture.Override("GCE_METADATA_HOST", "127.0.0.1:" + ClosedPort()))
        {
            var ex = await Assert.ThrowsAsync<JwtSsoException>(() => Source().GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));

            _output.WriteLine(ex.Message);
            Assert.True(ex.IsTransient);
            Assert.Contains("Could not reach the GCE metadata server", ex.Message, StringComparison.Ordinal);
            Assert.Contains("GOOGLE_APPLICATION_CREDENTIALS", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetTokenAsync_GoogleApplicationCredentialsKeyFile_WinsOverMetadataServer()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, _bed.KeyJson);
            using var _ = GcpMetadataFixture.Override("GOOGLE_APPLICATION_CREDENTIALS", path);

            var token = await Source().GetTokenAsync(CancellationToken.None);

            Assert.Equal(GcpTestBed.ServiceAccountId, token.Subject);
            Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpOAuthToken));
            Assert.Equal(0, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task GetTokenAsync_GoogleApplicationCredentialsMissingFile_NamesVariable()
    {
        using var _ = GcpMetadataFixture.Override("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/npgsql-jwtsso/key.json");

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => Source().GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("GOOGLE_APPLICATION_CREDENTIALS '/nonexistent/npgsql-jwtsso/key.json'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_MetadataServerImpersonating_ReturnsTargetToken()
    {
        _bed.Issuer.Gcp.GrantTokenCreator(_bed.Issuer.Gcp.MetadataServiceAccount, _bed.Target);

        var token = await Source(o =>
        {
            o.ImpersonateServiceAccount = GcpTestBed.TargetEmail;
            o.IamCredentialsEndpoint = _bed.Issuer.Gcp.IamCredentialsEndpoint;
        }).GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpTestBed.TargetId, token.Subject);
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpMetadataToken));
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpGenerateIdToken));
        Assert.Equal(0, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
    }

    private GcpTokenSource Source(Action<GcpTokenSourceOptions>? configure = null)
    {
        var options = new GcpTokenSourceOptions { Audience = GcpTestBed.Audience };
        configure?.Invoke(options);
        return new GcpTokenSource(options, _bed.Time);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
