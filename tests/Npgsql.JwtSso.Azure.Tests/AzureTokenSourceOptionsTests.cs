using System.Security.Cryptography.X509Certificates;
using Azure.Identity;
using Npgsql.JwtSso.Azure.Tests.Support;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests;

public sealed class AzureTokenSourceOptionsTests
{
    private const string Scope = EntraJwt.ClusterAppUri + "/.default";
    private const string ClientId = "0e1c2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";

    [Fact]
    public void Defaults_CredentialKind_IsManagedIdentity()
    {
        var options = new AzureTokenSourceOptions();

        Assert.Equal(AzureCredentialKind.ManagedIdentity, options.CredentialKind);
        Assert.Empty(options.ExpectedAudiences);
        Assert.Empty(options.ExpectedIssuers);
    }

    [Fact]
    public void Ctor_MissingScope_ThrowsConfigurationNamingScope()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V1()) }));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Equal("azure", ex.SourceName);
        Assert.Contains("Scope is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/.default", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ScopeWithoutDefaultSuffix_SuggestsDefaultForm()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new FakeCredential(EntraJwt.V1()), EntraJwt.ClusterAppUri + "/user_impersonation"));

        Assert.Contains("does not end with '/.default'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{EntraJwt.ClusterAppUri}/.default'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api://a/.default api://b/.default")]
    [InlineData("api://a/.default,api://b/.default")]
    public void Ctor_SeveralScopes_RequiresExactlyOne(string scope)
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new FakeCredential(EntraJwt.V1()), scope));

        Assert.Contains("more than one scope", ex.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.default")]
    [InlineData("api://x//.default")]
    public void Ctor_ScopeWithoutResource_Rejected(string scope)
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new FakeCredential(EntraJwt.V1()), scope));

        Assert.Contains("no resource before '/.default'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://ossrdbms-aad.database.windows.net/.default", "Azure Database for PostgreSQL")]
    [InlineData("https://management.azure.com/.default", "Azure Resource Manager")]
    [InlineData("https://graph.microsoft.com/.default", "Microsoft Graph")]
    public void Ctor_ScopeOfAzureOwnResource_RejectedWithClusterAppHint(string scope, string service)
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new FakeCredential(EntraJwt.V1()), scope));

        Assert.Contains(service, ex.Message, StringComparison.Ordinal);
        Assert.Contains("api://<its client id>/.default", ex.Message, StringComparison.Ordinal);
        Assert.Contains("server.jwt_authentication.audience", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_AzureOwnResourceListedInExpectedAudiences_Accepted()
    {
        var options = new AzureTokenSourceOptions
        {
            Credential = new FakeCredential(EntraJwt.V1()),
            Scope = "https://ossrdbms-aad.database.windows.net/.default",
        };
        options.ExpectedAudiences.Add("https://ossrdbms-aad.database.windows.net");

        var source = new AzureTokenSource(options);

        Assert.Equal("https://ossrdbms-aad.database.windows.net/.default", source.Scope);
    }

    [Fact]
    public void Ctor_ClientSecretKindWithNothingSet_ListsEveryMissingSettingAtOnce()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(new AzureTokenSourceOptions { CredentialKind = AzureCredentialKind.ClientSecret }));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("Scope is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TenantId is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not its Secret ID", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, ex.Message.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Ctor_ClientCertificateKindWithMissingFile_NamesPath()
    {
        var options = new AzureTokenSourceOptions
        {
            Scope = Scope,
            CredentialKind = AzureCredentialKind.ClientCertificate,
            TenantId = EntraJwt.Tenant,
            ClientId = ClientId,
            ClientCertificatePath = "/nonexistent/cert.pem",
        };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("ClientCertificatePath '/nonexistent/cert.pem' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_CredentialTogetherWithDeclarativeFields_NamesTheConflictingFields()
    {
        var options = new AzureTokenSourceOptions
        {
            Credential = new FakeCredential(EntraJwt.V1()),
            Scope = Scope,
            ClientId = ClientId,
            ClientSecret = "s3cr3t-value",
            AuthorityHost = new Uri("https://login.microsoftonline.us"),
        };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("Credential is set, so ClientId, ClientSecret, AuthorityHost would be ignored", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_SecretWithManagedIdentityKind_RejectedWithoutEchoingTheSecret()
    {
        var options = new AzureTokenSourceOptions { Scope = Scope, ClientSecret = "very-secret-value" };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("ClientSecret is set but CredentialKind is ManagedIdentity", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ClientIdNotAGuid_Rejected()
    {
        var options = new AzureTokenSourceOptions { Scope = Scope, ClientId = "my-identity" };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("ClientId 'my-identity' is not a GUID", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ManagedIdentityWithClientIdAndResourceId_RequiresOne()
    {
        var options = new AzureTokenSourceOptions
        {
            Scope = Scope,
            ClientId = ClientId,
            ManagedIdentityResourceId = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id",
        };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("set only one of them", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ManagedIdentityResourceIdMalformed_Rejected()
    {
        var options = new AzureTokenSourceOptions { Scope = Scope, ManagedIdentityResourceId = "my-identity" };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("ManagedIdentityResourceId 'my-identity' is not an Azure resource id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_HttpAuthorityHost_Rejected()
    {
        var options = new AzureTokenSourceOptions
        {
            Scope = Scope,
            CredentialKind = AzureCredentialKind.ClientSecret,
            TenantId = EntraJwt.Tenant,
            ClientId = ClientId,
            ClientSecret = "secret",
            AuthorityHost = new Uri("http://127.0.0.1:1234"),
        };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("AuthorityHost 'http://127.0.0.1:1234/' must be an absolute https URI", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contoso tenant")]
    [InlineData("")]
    [InlineData("tenant/x")]
    public void Ctor_MalformedTenant_Rejected(string tenant)
    {
        var options = new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V1()), Scope = Scope, TenantId = tenant };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("is not a tenant id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_AzureCliWithClientId_Rejected()
    {
        var options = new AzureTokenSourceOptions { Scope = Scope, CredentialKind = AzureCredentialKind.AzureCli, ClientId = ClientId };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("ClientId is not used by CredentialKind AzureCli", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_UndefinedCredentialKind_ListsTheKinds()
    {
        var options = new AzureTokenSourceOptions { Scope = Scope, CredentialKind = (AzureCredentialKind)42 };

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("CredentialKind 42 is not one of ManagedIdentity, WorkloadIdentity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_BlankExpectedEntries_Rejected()
    {
        var options = new AzureTokenSourceOptions { Credential = new FakeCredential(EntraJwt.V1()), Scope = Scope };
        options.ExpectedAudiences.Add(" ");
        options.ExpectedIssuers.Add(string.Empty);

        var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

        Assert.Contains("ExpectedAudiences contains an empty entry", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ExpectedIssuers contains an empty entry", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ManagedIdentityKind_BuildsManagedIdentityCredential()
    {
        var source = new AzureTokenSource(new AzureTokenSourceOptions { Scope = Scope, ClientId = ClientId });

        Assert.IsType<ManagedIdentityCredential>(source.Credential);
    }

    [Fact]
    public void Ctor_ClientSecretKind_BuildsClientSecretCredentialAndRunsConfigureCallback()
    {
        TokenCredentialOptions? seen = null;
        var options = new AzureTokenSourceOptions
        {
            Scope = Scope,
            CredentialKind = AzureCredentialKind.ClientSecret,
            TenantId = EntraJwt.Tenant,
            ClientId = ClientId,
            ClientSecret = "secret",
            AuthorityHost = new Uri("https://login.microsoftonline.us"),
            ConfigureCredentialOptions = o => seen = o,
        };

        var source = new AzureTokenSource(options);

        Assert.IsType<ClientSecretCredential>(source.Credential);
        var credentialOptions = Assert.IsType<ClientSecretCredentialOptions>(seen);
        Assert.Equal(new Uri("https://login.microsoftonline.us"), credentialOptions.AuthorityHost);
    }

    [Fact]
    public void Ctor_ClientCertificateKindWithPemFile_BuildsCertificateCredentialWithChainOption()
    {
        var path = WriteTemporaryPem();
        try
        {
            ClientCertificateCredentialOptions? seen = null;
            var options = new AzureTokenSourceOptions
            {
                Scope = Scope,
                CredentialKind = AzureCredentialKind.ClientCertificate,
                TenantId = EntraJwt.Tenant,
                ClientId = ClientId,
                ClientCertificatePath = path,
                SendCertificateChain = true,
                DisableInstanceDiscovery = true,
                ConfigureCredentialOptions = o => seen = (ClientCertificateCredentialOptions)o,
            };

            var source = new AzureTokenSource(options);

            Assert.IsType<ClientCertificateCredential>(source.Credential);
            Assert.True(seen!.SendCertificateChain);
            Assert.True(seen.DisableInstanceDiscovery);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Ctor_ClientCertificateWithWrongPfxPassword_ConfigurationErrorWithoutPassword()
    {
        var path = Path.Combine(Path.GetTempPath(), $"azure-test-{Guid.NewGuid():N}.pfx");
        using (var cert = TestKeys.Certificate(TestKeys.First, "test"))
        {
            File.WriteAllBytes(path, cert.Export(X509ContentType.Pfx, "right-password"));
        }

        try
        {
            var options = new AzureTokenSourceOptions
            {
                Scope = Scope,
                CredentialKind = AzureCredentialKind.ClientCertificate,
                TenantId = EntraJwt.Tenant,
                ClientId = ClientId,
                ClientCertificatePath = path,
                ClientCertificatePassword = "wrong-password",
            };

            var ex = Assert.Throws<JwtSsoException>(() => new AzureTokenSource(options));

            Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
            Assert.Contains("could not be created", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Ctor_DefaultKind_BuildsDefaultAzureCredentialAndLogsDeveloperNotice()
    {
        var logs = new RecordingLoggerFactory();

        var source = new AzureTokenSource(new AzureTokenSourceOptions { Scope = Scope, CredentialKind = AzureCredentialKind.Default }, logs);

        Assert.IsType<DefaultAzureCredential>(source.Credential);
        Assert.Contains("meant for development", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_AzureCliKind_BuildsAzureCliCredentialAndSaysItDoesNotCache()
    {
        var logs = new RecordingLoggerFactory();

        var source = new AzureTokenSource(new AzureTokenSourceOptions { Scope = Scope, CredentialKind = AzureCredentialKind.AzureCli, CredentialProcessTimeout = TimeSpan.FromSeconds(20) }, logs);

        Assert.IsType<AzureCliCredential>(source.Credential);
        Assert.Contains("does not cache tokens itself", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_WorkloadIdentityKindWithExplicitSettings_BuildsWorkloadIdentityCredential()
    {
        var options = new AzureTokenSourceOptions
        {
            Scope = Scope,
            CredentialKind = AzureCredentialKind.WorkloadIdentity,
            TenantId = EntraJwt.Tenant,
            ClientId = ClientId,
            TokenFilePath = "/var/run/secrets/azure/tokens/azure-identity-token",
        };

        var source = new AzureTokenSource(options);

        Assert.IsType<WorkloadIdentityCredential>(source.Credential);
    }

    private static string WriteTemporaryPem()
    {
        using var cert = TestKeys.Certificate(TestKeys.First, "test");
        return TestKeys.WritePem(cert, TestKeys.First);
    }
}
