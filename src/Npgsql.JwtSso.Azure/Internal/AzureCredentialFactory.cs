using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>Builds the Azure.Identity credential described by validated <see cref="AzureTokenSourceOptions"/>.</summary>
internal static class AzureCredentialFactory
{
    internal static TokenCredential Create(AzureTokenSourceOptions options) => options.CredentialKind switch
    {
        AzureCredentialKind.ManagedIdentity => new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(ManagedIdentityIdOf(options)), options)),
        AzureCredentialKind.WorkloadIdentity => new WorkloadIdentityCredential(Configure(
            new WorkloadIdentityCredentialOptions
            {
                TenantId = NullIfBlank(options.TenantId) ?? Environment.GetEnvironmentVariable(AzureTokenSourceOptionsValidator.TenantIdVariable),
                ClientId = NullIfBlank(options.ClientId) ?? Environment.GetEnvironmentVariable(AzureTokenSourceOptionsValidator.ClientIdVariable),
                TokenFilePath = NullIfBlank(options.TokenFilePath) ?? Environment.GetEnvironmentVariable(AzureTokenSourceOptionsValidator.TokenFileVariable),
                DisableInstanceDiscovery = options.DisableInstanceDiscovery,
            },
            options)),
        AzureCredentialKind.ClientSecret => new ClientSecretCredential(
            options.TenantId,
            options.ClientId,
            options.ClientSecret,
            Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = options.DisableInstanceDiscovery }, options)),
        AzureCredentialKind.ClientCertificate => CreateCertificateCredential(options),
        AzureCredentialKind.Default => new DefaultAzureCredential(Configure(
            new DefaultAzureCredentialOptions
            {
                TenantId = NullIfBlank(options.TenantId),
                ManagedIdentityClientId = NullIfBlank(options.ClientId),
                WorkloadIdentityClientId = NullIfBlank(options.ClientId),
                ManagedIdentityResourceId = ResourceIdOf(options),
                CredentialProcessTimeout = options.CredentialProcessTimeout,
                DisableInstanceDiscovery = options.DisableInstanceDiscovery,
            },
            options)),
        AzureCredentialKind.AzureCli => new AzureCliCredential(Configure(
            new AzureCliCredentialOptions
            {
                TenantId = NullIfBlank(options.TenantId),
                ProcessTimeout = options.CredentialProcessTimeout,
            },
            options)),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.CredentialKind, "Unknown credential kind."),
    };

    private static ClientCertificateCredential CreateCertificateCredential(AzureTokenSourceOptions options)
    {
        var credentialOptions = Configure(
            new ClientCertificateCredentialOptions
            {
                SendCertificateChain = options.SendCertificateChain,
                DisableInstanceDiscovery = options.DisableInstanceDiscovery,
            },
            options);
        if (string.IsNullOrEmpty(options.ClientCertificatePassword))
        {
            // Azure.Identity reads PEM and password-less PFX files itself.
            return new ClientCertificateCredential(options.TenantId, options.ClientId, options.ClientCertificatePath, credentialOptions);
        }

        // The credential keeps the certificate for its lifetime, so it is not disposed here.
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.ClientCertificatePath!, options.ClientCertificatePassword);
        return new ClientCertificateCredential(options.TenantId, options.ClientId, certificate, credentialOptions);
    }

    private static T Configure<T>(T credentialOptions, AzureTokenSourceOptions options)
        where T : TokenCredentialOptions
    {
        if (options.AuthorityHost is { } host)
        {
            credentialOptions.AuthorityHost = host;
        }

        // The refresh engine owns retries and backoff: Azure.Core's default policy (3 retries, exponential delays on
        // the real clock; 5 for managed identity, which replaces Retry.MaxRetries unless a RetryPolicy is set) would
        // multiply every attempt by 4-6 requests and keep failing seconds after the IdP is back.
        // ConfigureCredentialOptions runs after this, so a caller may still choose retries of its own.
        credentialOptions.Retry.MaxRetries = 0;
        options.ConfigureCredentialOptions?.Invoke(credentialOptions);
        if (credentialOptions.RetryPolicy is null && credentialOptions.Retry.MaxRetries == 0)
        {
            credentialOptions.RetryPolicy = new RetryPolicy(maxRetries: 0);
        }
        return credentialOptions;
    }

    private static ManagedIdentityId ManagedIdentityIdOf(AzureTokenSourceOptions options)
    {
        if (NullIfBlank(options.ClientId) is { } clientId)
        {
            return ManagedIdentityId.FromUserAssignedClientId(clientId);
        }

        return ResourceIdOf(options) is { } resourceId
            ? ManagedIdentityId.FromUserAssignedResourceId(resourceId)
            : ManagedIdentityId.SystemAssigned;
    }

    private static ResourceIdentifier? ResourceIdOf(AzureTokenSourceOptions options)
        => NullIfBlank(options.ManagedIdentityResourceId) is { } id ? new ResourceIdentifier(id) : null;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
