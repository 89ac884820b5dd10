namespace Npgsql.JwtSso.Azure;

/// <summary>
/// Which Azure.Identity credential <see cref="AzureTokenSource"/> builds from <see cref="AzureTokenSourceOptions"/>
/// when no <see cref="AzureTokenSourceOptions.Credential"/> instance is given.
/// </summary>
public enum AzureCredentialKind
{
    /// <summary>
    /// <c>ManagedIdentityCredential</c>: the system-assigned identity, or a user-assigned one chosen by
    /// <see cref="AzureTokenSourceOptions.ClientId"/> or <see cref="AzureTokenSourceOptions.ManagedIdentityResourceId"/>.
    /// The production choice on Azure VMs, App Service, Functions, Container Apps and AKS node identities.
    /// </summary>
    ManagedIdentity,

    /// <summary>
    /// <c>WorkloadIdentityCredential</c>: AKS workload identity (a federated Kubernetes service-account token
    /// exchanged for an Entra token). Tenant, client id and token file default to the <c>AZURE_TENANT_ID</c>,
    /// <c>AZURE_CLIENT_ID</c> and <c>AZURE_FEDERATED_TOKEN_FILE</c> variables the AKS webhook injects.
    /// </summary>
    WorkloadIdentity,

    /// <summary><c>ClientSecretCredential</c>: an app registration with a client secret.</summary>
    ClientSecret,

    /// <summary><c>ClientCertificateCredential</c>: an app registration with a certificate (PEM or PFX file).</summary>
    ClientCertificate,

    /// <summary>
    /// <c>DefaultAzureCredential</c>: a chain that probes environment, workload identity, managed identity and
    /// developer tools in turn. Convenient, but off Azure the probing can add 10–25 seconds to the first token;
    /// prefer an explicit kind in production.
    /// </summary>
    Default,

    /// <summary>
    /// <c>AzureCliCredential</c>: the signed-in Azure CLI user (<c>az login</c>), for development. It runs the
    /// <c>az</c> process on every call and does not cache; Npgsql.JwtSso's cache sits in front of it.
    /// </summary>
    AzureCli,
}
