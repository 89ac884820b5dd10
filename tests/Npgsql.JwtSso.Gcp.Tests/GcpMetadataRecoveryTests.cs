using System.Net;
using System.Net.Sockets;
using Npgsql.JwtSso.Gcp.Internal;
using Npgsql.JwtSso.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>
/// Application default credentials when the metadata server is slow or absent at first: no answer is a transient
/// failure that the next attempt asks again, in the same process. The source's view of the environment is injected,
/// and the probe's timeout runs on the bed's fake clock. The collection still matters: Google's library recognises a
/// metadata-server ID token by its URL, which it builds from the process's GCE_METADATA_HOST (the fake, set by the fixture).
/// </summary>
[Collection(GcpEnvironmentCollection.Name)]
public sealed class GcpMetadataRecoveryTests : IDisposable
{
    private readonly GcpTestBed _bed;
    private readonly ITestOutputHelper _output;
    private readonly string _dmi;

    public GcpMetadataRecoveryTests(GcpMetadataFixture fixture, ITestOutputHelper output)
    {
        _bed = fixture.Bed;
        _output = output;
        _bed.Reset();
        _dmi = Path.Combine(Path.GetTempPath(), "npgsql-jwtsso-dmi-" + Guid.NewGuid().ToString("N"));
    }

    public void Dispose()
    {
        _bed.Reset();
        File.Delete(_dmi);
    }

    [Fact]
    public async Task ApplicationDefault_ProbeGetsNoAnswerThenAnswers_TransientThenRecoversInSameProcess()
    {
        var environment = Environment(_bed.Issuer.Gcp.MetadataHost);
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpMetadataPing, IssuerFault.Hang(), 1);
        var source = Source(environment);

        var pending = source.GetTokenAsync(CancellationToken.None).AsTask();
        await WaitForRequestsAsync(IssuerEndpointNames.GcpMetadataPing, 1);
        Assert.False(pending.IsCompleted);
        _bed.Time.Advance(GcpMetadataProbe.Timeout);
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => pending.WaitAsync(GcpTestBed.HangGuard));

        _output.WriteLine(ex.Message);
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.True(ex.IsTransient, ex.Message);
        Assert.Contains("no metadata server answered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UseMetadataServer", ex.Message, StringComparison.Ordinal);

        var token = await source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);
        var fromNewSource = await Source(environment).GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
        Assert.Equal(GcpFake.DefaultServiceAccountId, fromNewSource.Subject);
        Assert.Equal(3, _bed.Calls(IssuerEndpointNames.GcpMetadataPing)); // asked again by the next attempt and by the new source
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
    }

    [Fact]
    public async Task ApplicationDefault_ProbeRefused_TransientAndAskedAgainNextAttempt()
    {
        var source = Source(Environment("127.0.0.1:" + ClosedPort()));

        var first = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));
        var second = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard));

        Assert.True(first.IsTransient, first.Message);
        Assert.Equal(JwtSsoErrorKind.SourceFailed, first.Kind);
        Assert.NotSame(first, second);
        Assert.Contains("GOOGLE_APPLICATION_CREDENTIALS", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplicationDefault_CloudRunVariable_UsesMetadataServerWithoutProbe()
    {
        var environment = Environment(_bed.Issuer.Gcp.MetadataHost, ("K_SERVICE", "crdb-client"));

        var token = await Source(environment).GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
        Assert.Equal(0, _bed.Calls(IssuerEndpointNames.GcpMetadataPing));
        Assert.Equal(1, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
    }

    [Fact]
    public async Task UseMetadataServer_NoProbeEvenWithoutHints()
    {
        var token = await Source(Environment(_bed.Issuer.Gcp.MetadataHost), o => o.UseMetadataServer = true)
            .GetTokenAsync(CancellationToken.None).AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
        Assert.Equal(0, _bed.Calls(IssuerEndpointNames.GcpMetadataPing));
    }

    [Fact]
    public async Task MetadataServer_IdentitySlowThenNormal_TimeoutThenRecoversThroughTheCache()
    {
        var environment = Environment(_bed.Issuer.Gcp.MetadataHost, ("K_SERVICE", "crdb-client"));
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpMetadataIdentity, IssuerFault.Hang(), 1);
        var options = new JwtTokenCacheOptions { SourceTimeout = TimeSpan.FromSeconds(10), MinRetryDelay = TimeSpan.FromSeconds(1) };
        await using var cache = new JwtTokenCache(Source(environment), options, _bed.Time);

        var pending = cache.GetTokenAsync().AsTask();
        await WaitForRequestsAsync(IssuerEndpointNames.GcpMetadataIdentity, 1);
        _bed.Time.Advance(options.SourceTimeout);
        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => pending.WaitAsync(GcpTestBed.HangGuard));
        _bed.Time.Advance(TimeSpan.FromMinutes(1));
        var token = await cache.GetTokenAsync().AsTask().WaitAsync(GcpTestBed.HangGuard);

        Assert.Equal(JwtSsoErrorKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient, ex.Message);
        Assert.Equal(GcpFake.DefaultServiceAccountId, token.Subject);
        Assert.Equal(2, _bed.Calls(IssuerEndpointNames.GcpMetadataIdentity));
    }

    [Theory]
    [InlineData("GCE_METADATA_HOST", "10.0.0.1:8080", "GCE_METADATA_HOST")]
    [InlineData("K_SERVICE", "svc", "Cloud Run")]
    [InlineData("FUNCTION_TARGET", "handler", "Cloud Functions")]
    public void GoogleCloudHint_EnvironmentVariable_Named(string variable, string value, string expected)
    {
        var hint = Environment("unused", (variable, value)).GoogleCloudHint();

        Assert.NotNull(hint);
        Assert.Contains(expected, hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Google Compute Engine\n", false, "GCE")]
    [InlineData("Google Compute Engine\n", true, "GKE")]
    [InlineData("Google\n", false, "GCE")]
    public void GoogleCloudHint_GoogleDmiProductName_Named(string productName, bool kubernetes, string expected)
    {
        File.WriteAllText(_dmi, productName);
        var environment = kubernetes ? Environment("unused", ("KUBERNETES_SERVICE_HOST", "10.96.0.1")) : Environment("unused");

        Assert.Contains(expected, environment.GoogleCloudHint(), StringComparison.Ordinal);
    }

    [Fact]
    public void GoogleCloudHint_KubernetesElsewhereOrOtherMachine_None()
    {
        File.WriteAllText(_dmi, "Standard PC (Q35 + ICH9, 2009)\n");

        Assert.Null(Environment("unused", ("KUBERNETES_SERVICE_HOST", "10.96.0.1")).GoogleCloudHint());
        Assert.Null(Environment("unused").GoogleCloudHint());
    }

    private GcpEnvironment Environment(string defaultMetadataHost, params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return new GcpEnvironment(name => values.GetValueOrDefault(name), _dmi, defaultMetadataHost);
    }

    private GcpTokenSource Source(GcpEnvironment environment, Action<GcpTokenSourceOptions>? configure = null)
    {
        var options = new GcpTokenSourceOptions { Audience = GcpTestBed.Audience };
        configure?.Invoke(options);
        return new GcpTokenSource(options, _bed.Time, environment);
    }

    private async Task WaitForRequestsAsync(string endpoint, int count)
    {
        using var guard = new CancellationTokenSource(GcpTestBed.HangGuard);
        while (_bed.Calls(endpoint) < count)
        {
            await Task.Delay(10, guard.Token);
        }
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
