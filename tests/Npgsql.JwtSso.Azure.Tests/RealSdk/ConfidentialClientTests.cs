using System.Text.Json;
using Npgsql.JwtSso.Azure.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests.RealSdk;

/// <summary>Client secret, client certificate and workload identity through the real Azure.Identity/MSAL code path.</summary>
[Collection(EntraCollection.Name)]
public sealed class ConfidentialClientTests
{
    private const string ClientId = "a11ce000-0000-4000-8000-0000000000c1";
    private const string ObjectId = "4f0b2a6e-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    private const string Secret = "s3cret~value.for-tests";
    private readonly EntraFixture _fixture;

    public ConfidentialClientTests(EntraFixture fixture)
    {
        _fixture = fixture;
        fixture.Reset();
        fixture.Entra.AddClientSecret(ClientId, Secret, ObjectId);
    }

    private LocalJwtIssuer Issuer => _fixture.Issuer;

    [Fact]
    public async Task ClientSecret_V1Token_CarriesEntraClaimsForTheCluster()
    {
        var source = new AzureTokenSource(SecretOptions());

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal([EntraFixture.ClusterAppUri], token.Audiences);
        Assert.Equal(_fixture.Entra.V1Issuer, token.Issuer);
        Assert.Equal(ObjectId, token.Subject);
        Assert.Equal("1.0", Claim(token, "ver"));
        Assert.Equal(ObjectId, Claim(token, "oid"));
        Assert.Equal(_fixture.Entra.TenantId, Claim(token, "tid"));
        Assert.Equal(ClientId, Claim(token, "appid"));
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.EntraToken));
        var request = Assert.Single(Issuer.GetRequests());
        Assert.Equal($"/{_fixture.Entra.TenantId}/oauth2/v2.0/token", request.Path);
        Assert.Contains("client_secret", request.FormKeys);
        Assert.Contains("scope", request.FormKeys);
    }

    [Fact]
    public async Task ClientSecret_V2Token_AudienceIsTheClusterAppClientId()
    {
        _fixture.Entra.TokenVersion = 2;
        var options = SecretOptions();
        options.ExpectedAudiences.Add(EntraFixture.ClusterAppId);
        options.ExpectedIssuers.Add(_fixture.Entra.V2Issuer);
        var source = new AzureTokenSource(options);

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal([EntraFixture.ClusterAppId], token.Audiences);
        Assert.Equal(_fixture.Entra.V2Issuer, token.Issuer);
        Assert.Equal("2.0", Claim(token, "ver"));
        Assert.Equal(ClientId, Claim(token, "azp"));
    }

    [Fact]
    public async Task ClientSecret_SecondCall_ServedFromMsalCacheOfTheSameCredential()
    {
        var source = new AzureTokenSource(SecretOptions());

        var first = await source.GetTokenAsync(CancellationToken.None);
        var second = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.EntraToken));
    }

    [Fact]
    public async Task ClientSecret_TokenInsideMsalFiveMinuteWindow_RefetchedOnEachCall()
    {
        _fixture.Entra.TokenLifetime = TimeSpan.FromMinutes(4);
        var source = new AzureTokenSource(SecretOptions());

        await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(2, Issuer.RequestCount(IssuerEndpointNames.EntraToken));
    }

    [Fact]
    public async Task ClientSecret_RefreshInFromEntra_BecomesRefreshOn()
    {
        _fixture.Entra.RefreshIn = TimeSpan.FromMinutes(30);
        var source = new AzureTokenSource(SecretOptions());

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.NotNull(token.RefreshOn);
        Assert.NotNull(token.ExpiresOn);
        var ahead = token.ExpiresOn!.Value - token.RefreshOn!.Value;
        Assert.InRange(ahead, TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(35));
    }

    [Fact]
    public async Task ClientSecret_WrongSecret_ConfigurationErrorWithoutTheSecret()
    {
        var options = SecretOptions();
        options.ClientSecret = "the-secret-id-not-the-value";
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("AADSTS7000215", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not its Secret ID", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-secret-id-not-the-value", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_UnknownApplication_NamesClientAndTenant()
    {
        var options = SecretOptions();
        options.ClientId = "0badc1d0-0000-4000-8000-000000000000";
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("AADSTS700016", ex.Message, StringComparison.Ordinal);
        Assert.Contains("client id '0badc1d0-0000-4000-8000-000000000000'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("check both ids", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_UnknownTenant_SaysCheckTenantId()
    {
        var options = SecretOptions();
        options.TenantId = "00000000-0000-4000-8000-00000000dead";
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Contains("AADSTS90002", ex.Message, StringComparison.Ordinal);
        Assert.Contains("check TenantId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_ResourceNotRegistered_ExplainsApplicationIdUri()
    {
        var options = SecretOptions();
        options.Scope = "api://no-such-cluster/.default";
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("AADSTS500011", ex.Message, StringComparison.Ordinal);
        Assert.Contains("api://no-such-cluster", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Application ID URI", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invalid_grant", 65001, "grant admin consent")]
    [InlineData("invalid_grant", 501051, "app role")]
    [InlineData("invalid_client", 7000222, "has expired")]
    public async Task ClientSecret_EntraRefusal_ConfigurationErrorWithFix(string error, int code, string fix)
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.OAuthError(error, 400, $"AADSTS{code}: Refused for the test. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-01-01 00:00:00Z"));
        var source = new AzureTokenSource(SecretOptions());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains($"AADSTS{code}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fix, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_Throttled_TransientWithRetryAfter()
    {
        // MSAL remembers a 429 process-wide per client and scope, so this test uses a client of its own.
        const string throttledClientId = "7a077e00-0000-4000-8000-0000000000c9";
        _fixture.Entra.AddClientSecret(throttledClientId, Secret, ObjectId);
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.TooManyRequests(TimeSpan.FromSeconds(7)), 1);
        var options = _fixture.Options(AzureCredentialKind.ClientSecret, throttledClientId);
        options.ClientSecret = Secret;
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);

        var again = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(again.IsTransient);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.EntraToken)); // MSAL answered the retry from its throttling cache
    }

    [Fact]
    public async Task ClientSecret_ServerError_Transient()
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.ServerError(503));
        var source = new AzureTokenSource(SecretOptions());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
        Assert.InRange(Issuer.RequestCount(IssuerEndpointNames.EntraToken), 1, 2); // MSAL itself retries a 5xx once
    }

    [Fact]
    public async Task ClientSecret_ConnectionReset_Transient()
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.ConnectionReset());
        var source = new AzureTokenSource(SecretOptions());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task ClientSecret_EndpointHangs_NetworkTimeoutIsTransient()
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.Hang());
        var options = _fixture.Options(AzureCredentialKind.ClientSecret, ClientId, networkTimeout: TimeSpan.FromMilliseconds(500));
        options.ClientSecret = Secret;
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task ClientSecret_CallerCancels_OperationCanceled()
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.Hang());
        var source = new AzureTokenSource(SecretOptions());
        using var cts = new CancellationTokenSource();
        var pending = source.GetTokenAsync(cts.Token).AsTask();
        await WaitForRequestAsync(IssuerEndpointNames.EntraToken);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task ClientSecret_NonJwtToken_InvalidToken()
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.NonJwtToken());
        var source = new AzureTokenSource(SecretOptions());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.DoesNotContain("opaque-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_GarbageResponse_SourceFailedNamingScope()
    {
        Issuer.Faults.Set(IssuerEndpointNames.EntraToken, IssuerFault.GarbageJson());
        var source = new AzureTokenSource(SecretOptions());

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains(EntraFixture.ClusterScope, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecret_V1TokenWhileClusterExpectsV2Audience_InvalidTokenExplainsVersions()
    {
        var options = SecretOptions();
        options.ExpectedAudiences.Add(EntraFixture.ClusterAppId);
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains($"'{EntraFixture.ClusterAppUri}' (token version 1.0)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v1 tokens carry the resource exactly as requested", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCertificate_WithChain_GetsTokenForTheCluster()
    {
        const string certClientId = "ce47ce47-0000-4000-8000-0000000000c2";
        const string certObjectId = "1e2d3c4b-5a69-4788-9900-aabbccddeeff";
        using var certificate = TestKeys.Certificate(TestKeys.First, "crdb-client");
        _fixture.Entra.AddClientCertificate(certClientId, certificate, certObjectId);
        var path = TestKeys.WritePem(certificate, TestKeys.First);
        try
        {
            var options = _fixture.Options(AzureCredentialKind.ClientCertificate, certClientId);
            options.ClientCertificatePath = path;
            options.SendCertificateChain = true;
            var source = new AzureTokenSource(options);

            var token = await source.GetTokenAsync(CancellationToken.None);

            Assert.Equal(certObjectId, token.Subject);
            Assert.Equal("2", Claim(token, "appidacr"));
            Assert.Contains("client_assertion", Assert.Single(Issuer.GetRequests()).FormKeys);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ClientCertificate_NotRegistered_SaysUploadIt()
    {
        const string certClientId = "ce47ce47-0000-4000-8000-0000000000c3";
        using var registered = TestKeys.Certificate(TestKeys.First, "registered");
        _fixture.Entra.AddClientCertificate(certClientId, registered, "2e2d3c4b-5a69-4788-9900-aabbccddeeff");
        using var presented = TestKeys.Certificate(TestKeys.Second, "other");
        var path = TestKeys.WritePem(presented, TestKeys.Second);
        try
        {
            var options = _fixture.Options(AzureCredentialKind.ClientCertificate, certClientId);
            options.ClientCertificatePath = path;
            var source = new AzureTokenSource(options);

            var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

            Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
            Assert.Contains("AADSTS700027", ex.Message, StringComparison.Ordinal);
            Assert.Contains("upload its public part", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WorkloadIdentity_FederatedServiceAccountToken_ExchangedForClusterToken()
    {
        const string wiClientId = "f0f0f0f0-0000-4000-8000-0000000000c4";
        const string wiObjectId = "3c3c3c3c-5a69-4788-9900-aabbccddeeff";
        const string serviceAccount = "system:serviceaccount:payments:api";
        _fixture.Entra.AddFederatedCredential(wiClientId, Issuer.Issuer, serviceAccount, wiObjectId);
        var path = await WriteFederatedTokenAsync(serviceAccount);
        try
        {
            var options = _fixture.Options(AzureCredentialKind.WorkloadIdentity, wiClientId);
            options.TokenFilePath = path;
            var source = new AzureTokenSource(options);

            var token = await source.GetTokenAsync(CancellationToken.None);

            Assert.Equal(wiObjectId, token.Subject);
            Assert.Equal([EntraFixture.ClusterAppUri], token.Audiences);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WorkloadIdentity_SubjectWithoutFederatedCredential_ExplainsSubject()
    {
        const string wiClientId = "f0f0f0f0-0000-4000-8000-0000000000c5";
        _fixture.Entra.AddFederatedCredential(wiClientId, Issuer.Issuer, "system:serviceaccount:payments:api", "4c3c3c3c-5a69-4788-9900-aabbccddeeff");
        var path = await WriteFederatedTokenAsync("system:serviceaccount:default:other");
        try
        {
            var options = _fixture.Options(AzureCredentialKind.WorkloadIdentity, wiClientId);
            options.TokenFilePath = path;
            var source = new AzureTokenSource(options);

            var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

            Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
            Assert.Contains("AADSTS700213", ex.Message, StringComparison.Ordinal);
            Assert.Contains("system:serviceaccount:<namespace>:<service-account>", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<string> WriteFederatedTokenAsync(string subject)
    {
        var federated = Issuer.MintToken(subject, EntraDirectory.FederatedTokenAudience, TimeSpan.FromHours(1));
        var path = Path.Combine(Path.GetTempPath(), $"azure-identity-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, federated);
        return path;
    }

    private AzureTokenSourceOptions SecretOptions()
    {
        var options = _fixture.Options(AzureCredentialKind.ClientSecret, ClientId);
        options.ClientSecret = Secret;
        return options;
    }

    private async Task WaitForRequestAsync(string endpoint)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Issuer.RequestCount(endpoint) == 0)
        {
            await Task.Delay(10, guard.Token);
        }
    }

    private static string? Claim(JwtToken token, string name)
        => token.TryGetClaim(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
