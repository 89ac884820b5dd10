using Npgsql.JwtSso.Azure.Tests.Support;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests.RealSdk;

/// <summary>
/// Managed identity through the real Azure.Identity/MSAL path: App Service (<c>IDENTITY_ENDPOINT</c>) and IMDS
/// (<c>AZURE_POD_IDENTITY_AUTHORITY_HOST</c>). MSAL caches managed-identity tokens process-wide, so every test asks
/// for a resource of its own; the environment variables are restored after each test.
/// </summary>
[Collection(ManagedIdentityCollection.Name)]
public sealed class ManagedIdentityTests : IDisposable
{
    private static readonly string[] Variables = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"];
    private const string SystemObjectId = "5a5a5a5a-0000-4000-8000-00000000005a";
    private readonly EntraFixture _fixture;
    private readonly Dictionary<string, string?> _saved;

    public ManagedIdentityTests(EntraFixture fixture)
    {
        _fixture = fixture;
        fixture.Reset();
        _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        fixture.Entra.AddManagedIdentity(null, SystemObjectId);
    }

    private LocalJwtIssuer Issuer => _fixture.Issuer;

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }

    [Fact]
    public async Task AppService_SystemAssigned_TokenForTheClusterAndCachedProcessWide()
    {
        var resource = NewResource();
        UseAppService();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, scope: resource + "/.default"));

        var token = await source.GetTokenAsync(CancellationToken.None);
        var again = await source.GetTokenAsync(CancellationToken.None);
        var otherInstance = await new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, scope: resource + "/.default")).GetTokenAsync(CancellationToken.None);

        Assert.Equal(SystemObjectId, token.Subject);
        Assert.Equal([resource], token.Audiences);
        Assert.Equal(_fixture.Entra.V1Issuer, token.Issuer);
        Assert.Equal(token.Value, again.Value);
        Assert.Equal(token.Value, otherInstance.Value);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.AzureAppServiceIdentity));
        var request = Assert.Single(Issuer.GetRequests());
        Assert.Contains("resource", request.QueryKeys);
        Assert.Contains("api-version", request.QueryKeys);
    }

    [Fact]
    public async Task AppService_LongLivedToken_MsalRefreshOnIsPassedOn()
    {
        var resource = NewResource();
        _fixture.Entra.TokenLifetime = TimeSpan.FromHours(3);
        UseAppService();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, scope: resource + "/.default"));

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.NotNull(token.RefreshOn);
        var ahead = token.ExpiresOn!.Value - token.RefreshOn!.Value;
        Assert.InRange(ahead, TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(100)); // MSAL: half of a 3 h lifetime
    }

    [Fact]
    public async Task Imds_UserAssigned_SendsClientIdAndMetadataHeader()
    {
        const string userObjectId = "6b6b6b6b-0000-4000-8000-00000000006b";
        var resource = NewResource();
        _fixture.Entra.AddManagedIdentity(UserAssignedClientId, userObjectId);
        UseImds();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, UserAssignedClientId, scope: resource + "/.default"));

        var token = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(userObjectId, token.Subject);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.AzureImds));
        Assert.Contains("client_id", Assert.Single(Issuer.GetRequests()).QueryKeys);
    }

    [Fact]
    public async Task Imds_UnknownUserAssignedIdentity_ExplainsClientId()
    {
        var resource = NewResource();
        UseImds();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, "0dd0dd00-0000-4000-8000-000000000000", scope: resource + "/.default"));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("Identity not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must name a user-assigned identity that is assigned to this", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppService_ResourceNotRegistered_ExplainsApplicationIdUri()
    {
        UseAppService();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, scope: "api://unregistered-cluster/.default"));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("AADSTS500011", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Application ID URI", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_WorkloadIdentityWithoutSettingsOrWebhookVariables_NamesAllThree()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new AzureTokenSourceOptions
        {
            Scope = EntraFixture.ClusterScope,
            CredentialKind = AzureCredentialKind.WorkloadIdentity,
        }));

        Assert.Contains("TenantId is required for CredentialKind WorkloadIdentity", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AZURE_CLIENT_ID", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AZURE_FEDERATED_TOKEN_FILE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_WorkloadIdentityFromWebhookVariables_Accepted()
    {
        Environment.SetEnvironmentVariable("AZURE_TENANT_ID", _fixture.Entra.TenantId);
        Environment.SetEnvironmentVariable("AZURE_CLIENT_ID", "f0f0f0f0-0000-4000-8000-0000000000c4");
        Environment.SetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token");

        var source = new AzureTokenSource(new AzureTokenSourceOptions
        {
            Scope = EntraFixture.ClusterScope,
            CredentialKind = AzureCredentialKind.WorkloadIdentity,
        });

        Assert.IsType<global::Azure.Identity.WorkloadIdentityCredential>(source.Credential);
    }

    [Fact]
    public async Task AppService_ServerError_OneRequestPerAttempt()
    {
        var resource = NewResource();
        UseAppService();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, scope: resource + "/.default"));
        Issuer.Faults.Set(IssuerEndpointNames.AzureAppServiceIdentity, IssuerFault.ServerError(503));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient, ex.Message);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.AzureAppServiceIdentity));
    }

    [Fact]
    public async Task Imds_ServerError_OneRequestPerAttempt()
    {
        var resource = NewResource();
        UseImds();
        var source = new AzureTokenSource(_fixture.Options(AzureCredentialKind.ManagedIdentity, scope: resource + "/.default"));
        Issuer.Faults.Set(IssuerEndpointNames.AzureImds, IssuerFault.ServerError(503));

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsTransient, ex.Message);
        Assert.Equal(1, Issuer.RequestCount(IssuerEndpointNames.AzureImds));
    }

    private const string UserAssignedClientId = "7e5e7a55-0000-4000-8000-0000000000a1";

    private string NewResource()
    {
        var resource = $"api://crdb-mi-{Guid.NewGuid():N}";
        _fixture.Entra.AddResource(resource, Guid.NewGuid().ToString());
        return resource;
    }

    private void UseAppService()
    {
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", new Uri(Issuer.HttpUri, "msi/token").ToString());
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", _fixture.Entra.IdentityHeader);
    }

    private void UseImds() => Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", Issuer.HttpUri.GetLeftPart(UriPartial.Authority));
}
