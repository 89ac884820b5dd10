namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>Collects every problem of an <see cref="AzureTokenSourceOptions"/> at once, each naming the option and the fix.</summary>
internal static class AzureTokenSourceOptionsValidator
{
    internal const string TenantIdVariable = "AZURE_TENANT_ID";
    internal const string ClientIdVariable = "AZURE_CLIENT_ID";
    internal const string TokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE";

    internal static IReadOnlyList<string> Validate(AzureTokenSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateScope(options, errors);
        ValidateTenant(options, errors);
        if (options.Credential is not null)
        {
            ValidateNoDeclarativeFields(options, errors);
        }
        else
        {
            ValidateDeclarative(options, errors);
        }

        AddIfBlankEntry(options.ExpectedAudiences, nameof(AzureTokenSourceOptions.ExpectedAudiences), errors);
        AddIfBlankEntry(options.ExpectedIssuers, nameof(AzureTokenSourceOptions.ExpectedIssuers), errors);
        return errors;
    }

    private static void ValidateScope(AzureTokenSourceOptions options, List<string> errors)
    {
        if (!AzureScope.TryGetResource(options.Scope, out var resource, out var error))
        {
            errors.Add(error);
            return;
        }

        if (WellKnownAzureResources.TryDescribe(resource, out var service) && !options.ExpectedAudiences.Contains(resource))
        {
            errors.Add($"Scope '{options.Scope}' asks for a token for {service} ('{resource}'), Azure's own resource, not for the cluster. "
                + "Register an app (or use an existing one) that stands for the cluster, set Scope to 'api://<its client id>/.default' "
                + "and list that audience in the cluster's server.jwt_authentication.audience. "
                + $"If the cluster really accepts '{resource}', add it to ExpectedAudiences.");
        }
    }

    private static void ValidateTenant(AzureTokenSourceOptions options, List<string> errors)
    {
        if (options.TenantId is { } tenant && (tenant.Length == 0 || !tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')))
        {
            errors.Add($"TenantId '{tenant}' is not a tenant id: use the directory (tenant) id GUID shown on the app registration's overview page, or the tenant's domain such as 'contoso.onmicrosoft.com'.");
        }
    }

    private static void ValidateNoDeclarativeFields(AzureTokenSourceOptions options, List<string> errors)
    {
        var set = new List<string>();
        AddIfSet(options.ClientId, nameof(AzureTokenSourceOptions.ClientId), set);
        AddIfSet(options.ManagedIdentityResourceId, nameof(AzureTokenSourceOptions.ManagedIdentityResourceId), set);
        AddIfSet(options.ClientSecret, nameof(AzureTokenSourceOptions.ClientSecret), set);
        AddIfSet(options.ClientCertificatePath, nameof(AzureTokenSourceOptions.ClientCertificatePath), set);
        AddIfSet(options.ClientCertificatePassword, nameof(AzureTokenSourceOptions.ClientCertificatePassword), set);
        AddIfSet(options.TokenFilePath, nameof(AzureTokenSourceOptions.TokenFilePath), set);
        if (options.AuthorityHost is not null)
        {
            set.Add(nameof(AzureTokenSourceOptions.AuthorityHost));
        }

        if (options.ConfigureCredentialOptions is not null)
        {
            set.Add(nameof(AzureTokenSourceOptions.ConfigureCredentialOptions));
        }

        if (set.Count > 0)
        {
            errors.Add($"Credential is set, so {string.Join(", ", set)} would be ignored: configure those on the credential you pass, or remove Credential and describe the credential with CredentialKind and these options.");
        }
    }

    private static void ValidateDeclarative(AzureTokenSourceOptions options, List<string> errors)
    {
        var kind = options.CredentialKind;
        if (!Enum.IsDefined(kind))
        {
            errors.Add($"CredentialKind {(int)kind} is not one of {string.Join(", ", Enum.GetNames<AzureCredentialKind>())}.");
            return;
        }

        ValidateClientIdFormat(options, errors);
        ValidateAuthorityHost(options, errors);
        ValidateUnusedFields(options, kind, errors);
        switch (kind)
        {
            case AzureCredentialKind.ManagedIdentity:
                ValidateManagedIdentity(options, errors);
                break;
            case AzureCredentialKind.WorkloadIdentity:
                RequireOrVariable(options.TenantId, nameof(AzureTokenSourceOptions.TenantId), TenantIdVariable, "the directory (tenant) id of the identity", errors);
                RequireOrVariable(options.ClientId, nameof(AzureTokenSourceOptions.ClientId), ClientIdVariable, "the client id of the user-assigned identity or app registration that has the federated credential", errors);
                RequireOrVariable(options.TokenFilePath, nameof(AzureTokenSourceOptions.TokenFilePath), TokenFileVariable, "the path of the projected service-account token, usually /var/run/secrets/azure/tokens/azure-identity-token", errors);
                break;
            case AzureCredentialKind.ClientSecret:
                Require(options.TenantId, nameof(AzureTokenSourceOptions.TenantId), "the directory (tenant) id of the app registration", errors);
                Require(options.ClientId, nameof(AzureTokenSourceOptions.ClientId), "the application (client) id of the app registration", errors);
                Require(options.ClientSecret, nameof(AzureTokenSourceOptions.ClientSecret), "the secret's Value from Certificates & secrets (not its Secret ID)", errors);
                break;
            case AzureCredentialKind.ClientCertificate:
                Require(options.TenantId, nameof(AzureTokenSourceOptions.TenantId), "the directory (tenant) id of the app registration", errors);
                Require(options.ClientId, nameof(AzureTokenSourceOptions.ClientId), "the application (client) id of the app registration", errors);
                Require(options.ClientCertificatePath, nameof(AzureTokenSourceOptions.ClientCertificatePath), "the path of a PEM or PFX file holding the certificate and its private key", errors);
                if (!string.IsNullOrWhiteSpace(options.ClientCertificatePath) && !File.Exists(options.ClientCertificatePath))
                {
                    errors.Add($"ClientCertificatePath '{options.ClientCertificatePath}' does not exist (or is not readable by this process): point it at the PEM or PFX file with the certificate and its private key.");
                }

                break;
            case AzureCredentialKind.AzureCli:
                if (!string.IsNullOrWhiteSpace(options.ClientId))
                {
                    errors.Add("ClientId is not used by CredentialKind AzureCli (the token is for the user signed in with 'az login'): remove it, or pick the credential kind the client id belongs to.");
                }

                break;
            case AzureCredentialKind.Default:
            default:
                break;
        }
    }

    private static void ValidateManagedIdentity(AzureTokenSourceOptions options, List<string> errors)
    {
        if (!string.IsNullOrWhiteSpace(options.ClientId) && !string.IsNullOrWhiteSpace(options.ManagedIdentityResourceId))
        {
            errors.Add("ClientId and ManagedIdentityResourceId both select a user-assigned managed identity: set only one of them.");
        }

        if (options.ManagedIdentityResourceId is { } id && !string.IsNullOrWhiteSpace(id)
            && !id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"ManagedIdentityResourceId '{id}' is not an Azure resource id: it starts with '/subscriptions/' and ends with '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>'.");
        }
    }

    private static void ValidateUnusedFields(AzureTokenSourceOptions options, AzureCredentialKind kind, List<string> errors)
    {
        if (kind != AzureCredentialKind.ClientSecret && !string.IsNullOrEmpty(options.ClientSecret))
        {
            errors.Add($"ClientSecret is set but CredentialKind is {kind}: set CredentialKind to ClientSecret, or remove the secret from the configuration.");
        }

        if (kind != AzureCredentialKind.ClientCertificate && (!string.IsNullOrEmpty(options.ClientCertificatePath) || !string.IsNullOrEmpty(options.ClientCertificatePassword)))
        {
            errors.Add($"ClientCertificatePath/ClientCertificatePassword are set but CredentialKind is {kind}: set CredentialKind to ClientCertificate, or remove them.");
        }

        if (kind != AzureCredentialKind.WorkloadIdentity && !string.IsNullOrEmpty(options.TokenFilePath))
        {
            errors.Add($"TokenFilePath is set but CredentialKind is {kind}: set CredentialKind to WorkloadIdentity, or remove it.");
        }

        if (kind is not (AzureCredentialKind.ManagedIdentity or AzureCredentialKind.Default) && !string.IsNullOrEmpty(options.ManagedIdentityResourceId))
        {
            errors.Add($"ManagedIdentityResourceId is set but CredentialKind is {kind}: set CredentialKind to ManagedIdentity, or remove it.");
        }
    }

    private static void ValidateClientIdFormat(AzureTokenSourceOptions options, List<string> errors)
    {
        if (!string.IsNullOrWhiteSpace(options.ClientId) && !Guid.TryParse(options.ClientId, out _))
        {
            errors.Add($"ClientId '{options.ClientId}' is not a GUID: use the Application (client) ID from the app registration's or managed identity's overview page, not its name or object id URI.");
        }
    }

    private static void ValidateAuthorityHost(AzureTokenSourceOptions options, List<string> errors)
    {
        if (options.AuthorityHost is { } host && (!host.IsAbsoluteUri || host.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"AuthorityHost '{host}' must be an absolute https URI such as 'https://login.microsoftonline.com' (Azure.Identity refuses other schemes).");
        }
    }

    private static void Require(string? value, string name, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} is required for this CredentialKind: set it to {what}.");
        }
    }

    private static void RequireOrVariable(string? value, string name, string variable, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)))
        {
            errors.Add($"{name} is required for CredentialKind WorkloadIdentity: set it to {what}, or let the AKS workload identity webhook inject {variable} (label the pod 'azure.workload.identity/use: \"true\"').");
        }
    }

    private static void AddIfSet(string? value, string name, List<string> set)
    {
        if (!string.IsNullOrEmpty(value))
        {
            set.Add(name);
        }
    }

    private static void AddIfBlankEntry(IList<string> values, string name, List<string> errors)
    {
        if (values.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{name} contains an empty entry: remove it.");
        }
    }
}
