namespace Npgsql.JwtSso.Testing;

public static partial class IssuerEndpointNames
{
    /// <summary><c>POST /{tenant}/oauth2/v2.0/token</c>: the Microsoft Entra token endpoint (https listener).</summary>
    public const string EntraToken = "entra-token";

    /// <summary><c>GET /metadata/identity/oauth2/token</c>: the Azure IMDS managed-identity endpoint.</summary>
    public const string AzureImds = "azure-imds";

    /// <summary><c>GET /msi/token</c>: the App Service / Functions managed-identity endpoint (<c>IDENTITY_ENDPOINT</c>).</summary>
    public const string AzureAppServiceIdentity = "azure-app-service-identity";
}
