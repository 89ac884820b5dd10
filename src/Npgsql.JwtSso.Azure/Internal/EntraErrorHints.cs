using System.Globalization;
using System.Text.RegularExpressions;

namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>What to check for the Entra (AADSTS) error codes a token source meets most often.</summary>
internal static partial class EntraErrorHints
{
    private static readonly Dictionary<int, string> Hints = new()
    {
        [65001] = "Consent is missing: the identity has not been granted access to the cluster's app registration. In the cluster app's Enterprise application, grant admin consent, or assign the identity an app role (az ad app permission admin-consent / New-MgServicePrincipalAppRoleAssignment).",
        [500011] = "The resource in Scope was not found in this tenant. Scope must be the Application ID URI (Expose an API → Application ID URI) or client id of the app registration that stands for the cluster, followed by /.default, and that app needs a service principal (Enterprise application) in the tenant of the identity; a multi-tenant app must be consented in that tenant first.",
        [500014] = "The cluster's app registration is disabled in this tenant: enable its Enterprise application (Properties → Enabled for users to sign in).",
        [501051] = "The identity is not assigned a role on the cluster's app registration, which requires one (Assignment required = Yes): assign the identity an app role of that app, or turn assignment requirement off.",
        [700016] = "The application (ClientId) was not found in the tenant (TenantId): check both ids on the app registration's overview page; the app may live in another tenant, or a multi-tenant app was not yet consented in this one.",
        [7000215] = "The client secret is wrong: use the secret's Value (shown once when it was created), not its Secret ID, and check that it belongs to ClientId.",
        [7000222] = "The client secret has expired: create a new one under Certificates & secrets and update ClientSecret.",
        [70011] = "The scope is not valid: Scope must be exactly one '<Application ID URI>/.default' of the cluster's app registration.",
        [700027] = "The client certificate is not registered on the app: upload its public part under Certificates & secrets, or (subject name/issuer authentication) set SendCertificateChain.",
        [700024] = "The client assertion is outside its validity window: check this machine's clock.",
        [70021] = "No federated identity credential matches the presented token: on the identity, add a federated credential whose issuer is the cluster's OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl) and whose subject is system:serviceaccount:<namespace>:<service-account>, audience api://AzureADTokenExchange.",
        [700211] = "The federated token's issuer has no matching federated identity credential: add one on the identity with the Kubernetes cluster's OIDC issuer URL.",
        [700212] = "The federated token's audience has no matching federated identity credential: the credential's audience must be api://AzureADTokenExchange (the token projected by the AKS webhook).",
        [700213] = "The federated token's subject has no matching federated identity credential: the credential's subject must be system:serviceaccount:<namespace>:<service-account> of this pod.",
        [90002] = "The tenant was not found: check TenantId (the directory id GUID, or a verified domain such as contoso.onmicrosoft.com) and the cloud (AuthorityHost).",
        [900023] = "The tenant id is not valid: check TenantId.",
        [53003] = "A Conditional Access policy blocked the sign-in: ask the tenant administrator to exclude this workload identity or satisfy the policy.",
        [700082] = "The developer sign-in has expired: run 'az login' again.",
        [50173] = "The developer sign-in is no longer valid (password changed or session revoked): run 'az login' again.",
    };

    /// <summary>Finds the first AADSTS code in the text.</summary>
    internal static bool TryFindCode(string text, out int code)
    {
        var match = AadstsCode().Match(text);
        code = match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 0;
        return match.Success;
    }

    internal static string? HintFor(int code) => Hints.GetValueOrDefault(code);

    [GeneratedRegex(@"AADSTS(\d{4,8})\b", RegexOptions.CultureInvariant)]
    private static partial Regex AadstsCode();
}
