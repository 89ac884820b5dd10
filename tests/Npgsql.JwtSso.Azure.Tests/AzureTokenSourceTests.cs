using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using Npgsql.JwtSso.Azure.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests;

public sealed class AzureTokenSourceTests
{
    private const string Scope = EntraJwt.ClusterAppUri + "/.default";

    [Fact]
    public void Name_IsAzure()
    {
        var source = new AzureTokenSource(new FakeCredential(EntraJwt.V1()), Scope);

        Assert.Equal("azure", source.Name);
        Assert.Equal("azure", source.ToString());
    }

    [Fact]
    public async Task GetTokenAsync_RequestsTheOneScopeAndTheConfiguredTenant()
    {
        var credential = new FakeCredential(EntraJwt.V1());
        var source = new AzureTokenSource(new AzureTokenSourceOptions { Credential = credential, Scope = " " + Scope + " ", TenantId = EntraJwt.Tenant });

        await source.GetTokenAsync(CancellationToken.None);

        var request = Assert.Single(credential.Requests);
        Assert.Equal([Scope], request.Scopes);
        Assert.Equal(EntraJwt.Tenant, request.TenantId);
        Assert.False(request.IsCaeEnabled);
    }

    [Fact]
    public async Task GetTokenAsync_ParsesTheTokenAndPassesRefreshOn()
    {
        var refreshOn = DateTimeOffset.FromUnixTimeSeconds(4_102_000_000);
        var jwt = EntraJwt.V1();
        var source = new AzureTokenSource(new FakeCredential(jwt, refreshOn), Scope);

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(jwt, token.Value);
        Assert.Equal(refreshOn, token.RefreshOn);
        Assert.Equal(EntraJwt.ObjectId, token.Subject);
        Assert.Equal([EntraJwt.ClusterAppUri], token.Audiences);
        Assert.Equal($"https://sts.windows.net/{EntraJwt.Tenant}/", token.Issuer);
    }

    [Fact]
    public async Task GetTokenAsync_WithoutRefreshOn_LeavesHintEmpty()
    {
        var source = new AzureTokenSource(new FakeCredential(EntraJwt.V2()), Scope);

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Null(token.RefreshOn);
    }

    [Fact]
    public async Task GetTokenAsync_CalledTwice_ReusesTheSameCredentialInstance()
    {
        var credential = new FakeCredential(EntraJwt.V1());
        var source = new AzureTokenSource(credential, Scope);

        await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Same(credential, source.Credential);
        Assert.Equal(2, credential.Requests.Count);
    }

    [Fact]
    public async Task GetTokenAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var source = new AzureTokenSource(new FakeCredential(EntraJwt.V1()), Scope);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.GetTokenAsync(cts.Token).AsTask());
    }

    [Fact]
    public async Task GetTokenAsync_CredentialUnavailable_ConfigurationErrorNotTransient()
    {
        var source = new AzureTokenSource(FakeCredential.Throwing(new CredentialUnavailableException("ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.")), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.IsType<CredentialUnavailableException>(ex.InnerException);
        Assert.Contains("No response received from the managed identity endpoint", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"scope '{Scope}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65001, "grant admin consent")]
    [InlineData(500011, "Application ID URI")]
    [InlineData(700016, "check both ids")]
    [InlineData(7000215, "not its Secret ID")]
    [InlineData(7000222, "has expired")]
    [InlineData(501051, "app role")]
    [InlineData(700213, "system:serviceaccount")]
    [InlineData(90002, "check TenantId")]
    public async Task GetTokenAsync_EntraErrorCode_ConfigurationErrorWithFix(int code, string fix)
    {
        var msal = new MsalServiceException("invalid_client", $"AADSTS{code}: Something is wrong. Trace ID: 1 Correlation ID: 2", 400);
        var failure = new AuthenticationFailedException($"ClientSecretCredential authentication failed: AADSTS{code}: Something is wrong.\nSee the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/clientsecretcredential/troubleshoot", msal);
        var source = new AzureTokenSource(FakeCredential.Throwing(failure), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains($"AADSTS{code}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fix, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("troubleshooting guide", ex.Message, StringComparison.Ordinal);
        Assert.Same(failure, ex.InnerException);
    }

    [Fact]
    public async Task GetTokenAsync_UnknownEntraCode_PointsToTheCodeReference()
    {
        var failure = new AuthenticationFailedException("ClientSecretCredential authentication failed: AADSTS999999: Unheard of.", new MsalServiceException("x", "AADSTS999999: Unheard of.", 400));
        var source = new AzureTokenSource(FakeCredential.Throwing(failure), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("Look up AADSTS999999", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_Throttled_TransientWithRetryAfter()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        var msal = new MsalServiceException("temporarily_unavailable", "Too many requests", 429) { Headers = response.Headers };
        var source = new AzureTokenSource(FakeCredential.Throwing(new AuthenticationFailedException("ManagedIdentityCredential authentication failed: Too many requests", msal)), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_RetryAfterAsDate_MeasuredOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(90));
        var msal = new MsalServiceException("server_error", "Service unavailable", 503) { Headers = response.Headers };
        var source = new AzureTokenSource(new AzureTokenSourceOptions { Credential = FakeCredential.Throwing(new AuthenticationFailedException("failed", msal)), Scope = Scope }, timeProvider: time);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_ServerError_TransientWithoutRetryAfter()
    {
        var msal = new MsalServiceException("server_error", "AADSTS90033: A transient error has occurred.", 503);
        var source = new AzureTokenSource(FakeCredential.Throwing(new AuthenticationFailedException("failed", msal)), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
        Assert.Null(ex.RetryAfter);
    }

    [Fact]
    public async Task GetTokenAsync_NetworkFailure_Transient()
    {
        var source = new AzureTokenSource(FakeCredential.Throwing(new AuthenticationFailedException("failed", new HttpRequestException("Connection refused"))), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_InnerTimeoutNotOurCancellation_Transient()
    {
        var source = new AzureTokenSource(FakeCredential.Throwing(new TaskCanceledException("The request timed out.")), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetTokenAsync_VendorMessageWithTokenOrSecret_Redacted()
    {
        var leaked = EntraJwt.V1();
        var options = new AzureTokenSourceOptions
        {
            Scope = Scope,
            CredentialKind = AzureCredentialKind.ClientSecret,
            TenantId = EntraJwt.Tenant,
            ClientId = "0e1c2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
            ClientSecret = "the-client-secret-value",
        };
        var source = new AzureTokenSource(options);
        var mapper = new Internal.AzureErrorMapper(new Internal.AzureSourceDescription(options, Scope, EntraJwt.ClusterAppUri, "ClientSecretCredential"), TimeProvider.System);

        var ex = mapper.Map(new AuthenticationFailedException($"failed with {leaked} and the-client-secret-value"));

        Assert.DoesNotContain(leaked, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("the-client-secret-value", ex.ToString(), StringComparison.Ordinal);
        Assert.IsType<AuthenticationFailedException>(ex.InnerException);
        Assert.Contains("<redacted token>", ex.Message, StringComparison.Ordinal);
        Assert.Contains("client id '0e1c2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6'", ex.Message, StringComparison.Ordinal);
        Assert.IsType<ClientSecretCredential>(source.Credential);
    }

    [Theory]
    [InlineData(AzureCredentialKind.ManagedIdentity, "enable a system- or user-assigned identity")]
    [InlineData(AzureCredentialKind.WorkloadIdentity, "AZURE_FEDERATED_TOKEN_FILE")]
    [InlineData(AzureCredentialKind.AzureCli, "az login")]
    [InlineData(AzureCredentialKind.Default, "prefer an explicit CredentialKind")]
    public void Map_CredentialUnavailablePerKind_GivesThatKindsFix(AzureCredentialKind kind, string fix)
    {
        var options = new AzureTokenSourceOptions { Scope = Scope, CredentialKind = kind };
        var mapper = new Internal.AzureErrorMapper(new Internal.AzureSourceDescription(options, Scope, EntraJwt.ClusterAppUri, kind + "Credential"), TimeProvider.System);

        var ex = mapper.Map(new CredentialUnavailableException("unavailable"));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains(fix, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_OpaqueToken_InvalidTokenWithoutTokenText()
    {
        const string opaque = "EwBwA8l6BAAUopaqueAccessTokenNotAJwt";
        var source = new AzureTokenSource(new FakeCredential(opaque), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.DoesNotContain(opaque, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a JWT", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cluster's own app registration", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://ossrdbms-aad.database.windows.net", "Azure Database for PostgreSQL")]
    [InlineData("https://management.azure.com/", "Azure Resource Manager")]
    [InlineData("00000003-0000-0000-c000-000000000000", "Microsoft Graph")]
    public async Task GetTokenAsync_TokenForAzureOwnResource_InvalidTokenNamingTheService(string audience, string service)
    {
        var jwt = EntraJwt.V1(audience);
        var source = new AzureTokenSource(new FakeCredential(jwt), Scope);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains(service, ex.Message, StringComparison.Ordinal);
        Assert.Contains(audience, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(jwt, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_V2TokenWhileClusterExpectsAppIdUri_ExplainsVersions()
    {
        var options = new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V2()), Scope = Scope };
        options.ExpectedAudiences.Add(EntraJwt.ClusterAppUri);
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains($"'{EntraJwt.ClusterAppId}' (token version 2.0)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v2 tokens carry the cluster app's client id", ex.Message, StringComparison.Ordinal);
        Assert.Contains("accessTokenAcceptedVersion", ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid audience", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_IssuerNotExpected_NamesBothIssuerForms()
    {
        var options = new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V1()), Scope = Scope };
        options.ExpectedIssuers.Add($"https://login.microsoftonline.com/{EntraJwt.Tenant}/v2.0");
        var source = new AzureTokenSource(options);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.InvalidToken, ex.Kind);
        Assert.Contains($"'https://sts.windows.net/{EntraJwt.Tenant}/' (token version 1.0)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"v2 tokens by 'https://login.microsoftonline.com/{EntraJwt.Tenant}/v2.0'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("server.jwt_authentication.issuers.configuration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_AudienceAndIssuerExpected_ReturnsToken()
    {
        var options = new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V2()), Scope = Scope };
        options.ExpectedAudiences.Add(EntraJwt.ClusterAppUri);
        options.ExpectedAudiences.Add(EntraJwt.ClusterAppId);
        options.ExpectedIssuers.Add($"https://sts.windows.net/{EntraJwt.Tenant}/");
        options.ExpectedIssuers.Add($"https://login.microsoftonline.com/{EntraJwt.Tenant}/v2.0");
        var source = new AzureTokenSource(options);

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(EntraJwt.ObjectId, token.Subject);
    }

    [Fact]
    public async Task GetTokenAsync_SuccessAndFailure_NeverLogTokenText()
    {
        var jwt = EntraJwt.V1();
        var logs = new RecordingLoggerFactory();
        var good = new AzureTokenSource(new AzureTokenSourceOptions { Credential = new FakeCredential(jwt), Scope = Scope }, logs);
        var bad = new AzureTokenSource(new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V1("https://management.azure.com")), Scope = Scope }, logs);

        var token = await good.GetTokenAsync(CancellationToken.None);
        await Assert.ThrowsAsync<JwtSsoException>(() => bad.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.NotEmpty(logs.Entries);
        Assert.Contains(token.Fingerprint, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(jwt, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(jwt.Split('.')[1], logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(JwtToken), logs.ValueTypes);
        Assert.All(logs.ValueTypes, t => Assert.True(t == typeof(string) || t.IsValueType, $"{t} logged as a structured value"));
    }

    [Fact]
    public async Task GetTokenAsync_SlowFirstTokenFromChain_WarnsOnceAboutProbing()
    {
        var time = new FakeTimeProvider();
        var slow = new FakeCredential((_, _) =>
        {
            time.Advance(TimeSpan.FromSeconds(12));
            return new AccessToken(EntraJwt.V1(), DateTimeOffset.FromUnixTimeSeconds(4_102_444_800));
        });
        var logs = new RecordingLoggerFactory();
        var source = new AzureTokenSource(new AzureTokenSourceOptions { Credential = new ChainedTokenCredential(slow), Scope = Scope }, logs, time);

        await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        var warnings = logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("12000 ms", warning.Text, StringComparison.Ordinal);
        Assert.Contains("explicit credential", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTokenAsync_FastFirstTokenFromChain_DoesNotWarn()
    {
        var logs = new RecordingLoggerFactory();
        var source = new AzureTokenSource(new AzureTokenSourceOptions { Credential = new ChainedTokenCredential(new FakeCredential(EntraJwt.V1())), Scope = Scope }, logs, new FakeTimeProvider());

        await source.GetTokenAsync(CancellationToken.None);

        Assert.DoesNotContain(logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(logs.Entries, e => e.Text.Contains("Got an Entra token", StringComparison.Ordinal));
    }
}
