using Azure.Core;
using Azure.Identity;

namespace Npgsql.JwtSso.Azure;

/// <summary>
/// Options of <see cref="AzureTokenSource"/>: which Entra token to request (<see cref="Scope"/>, <see cref="TenantId"/>)
/// and either a ready <see cref="Credential"/> or a declarative description of one (<see cref="CredentialKind"/> and
/// the fields it uses), so the source can be built from configuration.
/// </summary>
/// <remarks>
/// The options are validated when the source is constructed; every problem is reported at once, each naming the
/// option and the fix.
/// </remarks>
public sealed class AzureTokenSourceOptions
{
    /// <summary>
    /// Gets or sets the one scope to request: the Application ID URI (or client id) of the app registration that
    /// stands for the cluster, followed by <c>/.default</c>, for example <c>api://11111111-2222-3333-4444-555555555555/.default</c>.
    /// The token's <c>aud</c> is then that app (the URI for v1 tokens, its client id for v2 tokens), which is what the
    /// cluster's <c>server.jwt_authentication.audience</c> must list.
    /// </summary>
    /// <value>The default value is <see langword="null"/>; a scope is required.</value>
    public string? Scope { get; set; }

    /// <summary>
    /// Gets or sets the Entra tenant (directory) id or domain. Required for <see cref="AzureCredentialKind.ClientSecret"/>
    /// and <see cref="AzureCredentialKind.ClientCertificate"/>; optional for the other kinds. With a
    /// <see cref="Credential"/> instance it is sent as the request's tenant.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? TenantId { get; set; }

    /// <summary>
    /// Gets or sets a ready credential (any <see cref="TokenCredential"/>: managed identity, workload identity, client
    /// secret or certificate, a chain, <c>DefaultAzureCredential</c>…). When set, the declarative fields
    /// (<see cref="CredentialKind"/>, <see cref="ClientId"/>, secrets, paths, <see cref="AuthorityHost"/>) must stay unset.
    /// The same instance is used for every token, so its own cache keeps working.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the credential is built from <see cref="CredentialKind"/>.</value>
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets or sets which credential to build when <see cref="Credential"/> is not set.</summary>
    /// <value>The default value is <see cref="AzureCredentialKind.ManagedIdentity"/>, the production choice on Azure.</value>
    public AzureCredentialKind CredentialKind { get; set; } = AzureCredentialKind.ManagedIdentity;

    /// <summary>
    /// Gets or sets the client (application) id: of the user-assigned managed identity, of the workload identity, or of
    /// the app registration that signs in with a secret or certificate. With <see cref="AzureCredentialKind.Default"/>
    /// it selects the managed or workload identity the chain uses.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (system-assigned managed identity).</value>
    public string? ClientId { get; set; }

    /// <summary>
    /// Gets or sets the Azure resource id of a user-assigned managed identity
    /// (<c>/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/…</c>),
    /// as an alternative to <see cref="ClientId"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ManagedIdentityResourceId { get; set; }

    /// <summary>Gets or sets the client secret's value (not its secret id) for <see cref="AzureCredentialKind.ClientSecret"/>. Treat it as a secret.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets the path of the certificate with its private key (PEM, or PFX/PKCS#12) for
    /// <see cref="AzureCredentialKind.ClientCertificate"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientCertificatePath { get; set; }

    /// <summary>Gets or sets the password of a PFX file named by <see cref="ClientCertificatePath"/>. Treat it as a secret.</summary>
    /// <value>The default value is <see langword="null"/> (no password).</value>
    public string? ClientCertificatePassword { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the certificate chain (<c>x5c</c>) is sent with the client assertion,
    /// which subject name/issuer (SNI) authentication needs.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SendCertificateChain { get; set; }

    /// <summary>
    /// Gets or sets the path of the federated (Kubernetes service-account) token file for
    /// <see cref="AzureCredentialKind.WorkloadIdentity"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the <c>AZURE_FEDERATED_TOKEN_FILE</c> environment variable.</value>
    public string? TokenFilePath { get; set; }

    /// <summary>
    /// Gets or sets the Entra authority host for sovereign clouds (for example <c>https://login.microsoftonline.us</c>).
    /// Must be https.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the public cloud (or the <c>AZURE_AUTHORITY_HOST</c> environment variable).</value>
    public Uri? AuthorityHost { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether MSAL's instance discovery (metadata lookup on login.microsoftonline.com) is
    /// skipped. Needed for private clouds, Azure Stack and authorities the public cloud does not know.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DisableInstanceDiscovery { get; set; }

    /// <summary>
    /// Gets or sets how long a developer credential's process (<c>az</c>) may run for
    /// <see cref="AzureCredentialKind.AzureCli"/> and <see cref="AzureCredentialKind.Default"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: Azure.Identity's default.</value>
    public TimeSpan? CredentialProcessTimeout { get; set; }

    /// <summary>
    /// Gets the audiences the cluster accepts (its <c>server.jwt_authentication.audience</c>). When not empty, a token
    /// whose <c>aud</c> is none of them is refused here, with a message that explains v1/v2 audiences, instead of by the
    /// cluster later.
    /// </summary>
    /// <value>The default value is an empty list: only tokens for Azure's own resources (management, database, Graph…) are refused.</value>
    public IList<string> ExpectedAudiences { get; } = [];

    /// <summary>
    /// Gets the issuers the cluster accepts (its <c>server.jwt_authentication.issuers.configuration</c>). When not empty, a
    /// token whose <c>iss</c> is none of them is refused here with a message that names both Entra issuer forms
    /// (<c>https://sts.windows.net/{tenant}/</c> for v1 tokens, <c>https://login.microsoftonline.com/{tenant}/v2.0</c> for v2).
    /// </summary>
    /// <value>The default value is an empty list: the issuer is not checked.</value>
    public IList<string> ExpectedIssuers { get; } = [];

    /// <summary>
    /// Gets or sets a callback that adjusts the options of the credential built from <see cref="CredentialKind"/> before it
    /// is created (HTTP transport, proxy, retry policy, diagnostics). Not used with <see cref="Credential"/>.
    /// Retries are off before this runs (the refresh engine owns retries and backoff); a retry count set here wins.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Action<TokenCredentialOptions>? ConfigureCredentialOptions { get; set; }
}
