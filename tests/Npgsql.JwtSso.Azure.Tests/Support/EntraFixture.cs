using Azure.Core.Pipeline;
using Azure.Identity;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests.Support;

/// <summary>One local issuer (with its fake Entra tenant) per test collection, and options that point Azure.Identity at it.</summary>
public sealed class EntraFixture : IAsyncLifetime
{
    internal const string ClusterAppId = "c1a5e7e0-0000-4000-8000-000000000001";
    internal const string ClusterAppUri = "api://crdb-test-cluster";
    internal const string ClusterScope = ClusterAppUri + "/.default";

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    public EntraDirectory Entra => Issuer.Entra;

    public async Task InitializeAsync()
    {
        Issuer = await LocalJwtIssuer.StartAsync();
        Entra.AddResource(ClusterAppUri, ClusterAppId);
    }

    public async Task DisposeAsync() => await Issuer.DisposeAsync();

    /// <summary>Options for a credential built by the source, trusting the issuer's certificate, without instance discovery; the retry policy is the library's (none).</summary>
    internal AzureTokenSourceOptions Options(AzureCredentialKind kind, string? clientId = null, string scope = ClusterScope, TimeSpan? networkTimeout = null) => new()
    {
        Scope = scope,
        CredentialKind = kind,
        TenantId = kind is AzureCredentialKind.ClientSecret or AzureCredentialKind.ClientCertificate or AzureCredentialKind.WorkloadIdentity ? Entra.TenantId : null,
        ClientId = clientId,
        AuthorityHost = kind == AzureCredentialKind.ManagedIdentity ? null : Issuer.HttpsUri,
        DisableInstanceDiscovery = true,
        ConfigureCredentialOptions = o =>
        {
            o.Transport = new HttpClientTransport(Issuer.CreateHttpClientHandler());
            if (networkTimeout is { } timeout)
            {
                o.Retry.NetworkTimeout = timeout;
            }
        },
    };

    /// <summary>Resets per-test state of the shared tenant.</summary>
    internal void Reset()
    {
        Issuer.Faults.ClearAll();
        Issuer.ResetRequests();
        Entra.TokenVersion = 1;
        Entra.RefreshIn = null;
        Entra.TokenLifetime = null;
    }
}

[CollectionDefinition(Name)]
public sealed class EntraCollection : ICollectionFixture<EntraFixture>
{
    public const string Name = "Entra (real Azure.Identity against the local fake)";
}

/// <summary>Managed-identity tests set process-wide environment variables and meet MSAL's process-wide caches.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedIdentityCollection : ICollectionFixture<EntraFixture>
{
    public const string Name = "Azure managed identity (process environment)";
}
