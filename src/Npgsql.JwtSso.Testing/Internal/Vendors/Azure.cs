using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>
/// Microsoft Entra and Azure managed-identity endpoints, shaped as Azure.Identity/MSAL call them (recipes §3): the
/// v2.0 token endpoint for client secret, certificate and federated assertions; IMDS; and the App Service endpoint.
/// </summary>
internal static partial class VendorEndpoints
{
    static partial void MapAzure(IEndpointRouteBuilder app, LocalJwtIssuer issuer)
    {
        app.MapIssuerEndpoint(issuer, "POST", "/{tenant}/oauth2/v2.0/token", IssuerEndpointNames.EntraToken, context => EntraTokenAsync(context, issuer));
        app.MapIssuerEndpoint(issuer, "GET", "/metadata/identity/oauth2/token", IssuerEndpointNames.AzureImds, context => ImdsTokenAsync(context, issuer));
        app.MapIssuerEndpoint(issuer, "GET", "/msi/token", IssuerEndpointNames.AzureAppServiceIdentity, context => AppServiceTokenAsync(context, issuer));
    }

    private static async Task EntraTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        var entra = issuer.Entra;
        var tenant = context.GetRouteValue("tenant")?.ToString() ?? string.Empty;
        if (!context.Request.HasFormContentType)
        {
            await EntraErrors.WriteAsync(context, issuer, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var clientId = form["client_id"].ToString();
        var scope = form["scope"].ToString();
        if (!string.Equals(tenant, entra.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            await EntraErrors.WriteAsync(context, issuer, 400, "invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.").ConfigureAwait(false);
            return;
        }

        if (form["grant_type"].ToString() != "client_credentials")
        {
            await EntraErrors.WriteAsync(context, issuer, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.").ConfigureAwait(false);
            return;
        }

        if (entra.FindClient(clientId) is not { } client)
        {
            await EntraErrors.WriteAsync(context, issuer, 400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{entra.TenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.").ConfigureAwait(false);
            return;
        }

        var authentication = await EntraAssertions.AuthenticateAsync(context, issuer, form, client).ConfigureAwait(false);
        if (authentication.Error is { } error)
        {
            await EntraErrors.WriteAsync(context, issuer, error.Status, error.Code, error.Number, error.Description).ConfigureAwait(false);
            return;
        }

        if (!scope.EndsWith("/.default", StringComparison.Ordinal) || scope.Contains(' ', StringComparison.Ordinal))
        {
            await EntraErrors.WriteAsync(context, issuer, 400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).").ConfigureAwait(false);
            return;
        }

        var resource = scope[..^"/.default".Length];
        if (!entra.TryGetResourceApp(resource, out var appClientId))
        {
            await EntraErrors.WriteAsync(context, issuer, 400, "invalid_resource", 500011, ResourceNotFound(resource, entra)).ConfigureAwait(false);
            return;
        }

        var token = issuer.IssueToken(context, EntraTokens.MintOptions(issuer, resource, appClientId, client.ClientId, client.ObjectId, authentication.AuthenticationClass));
        var body = new Dictionary<string, object?>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = token.ExpiresInSeconds,
            ["ext_expires_in"] = token.ExpiresInSeconds,
            ["access_token"] = token.Value,
        };
        if (entra.RefreshIn is { } refreshIn)
        {
            body["refresh_in"] = (long)refreshIn.TotalSeconds;
        }

        await IssuerHttp.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private static async Task ImdsTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        if (!string.Equals(context.Request.Headers["Metadata"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            await WriteManagedIdentityErrorAsync(context, 400, "invalid_request", "Required metadata header not specified").ConfigureAwait(false);
            return;
        }

        await ManagedIdentityTokenAsync(context, issuer, appService: false).ConfigureAwait(false);
    }

    private static async Task AppServiceTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        if (context.Request.Headers["X-IDENTITY-HEADER"].ToString() != issuer.Entra.IdentityHeader)
        {
            await WriteManagedIdentityErrorAsync(context, 401, "unauthorized", "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.").ConfigureAwait(false);
            return;
        }

        await ManagedIdentityTokenAsync(context, issuer, appService: true).ConfigureAwait(false);
    }

    private static async Task ManagedIdentityTokenAsync(HttpContext context, LocalJwtIssuer issuer, bool appService)
    {
        var entra = issuer.Entra;
        var query = context.Request.Query;
        var resource = query["resource"].ToString();
        if (string.IsNullOrEmpty(query["api-version"].ToString()) || string.IsNullOrEmpty(resource))
        {
            await WriteManagedIdentityErrorAsync(context, 400, "invalid_request", "Required query parameters 'api-version' and 'resource' not specified").ConfigureAwait(false);
            return;
        }

        var clientId = query["client_id"].ToString();
        var identity = entra.FindManagedIdentity(string.IsNullOrEmpty(clientId) ? null : clientId);
        if (identity is null || query.ContainsKey("object_id") || query.ContainsKey("msi_res_id") || query.ContainsKey("mi_res_id") || query.ContainsKey("principal_id"))
        {
            await WriteManagedIdentityErrorAsync(context, 400, "invalid_request", "Identity not found").ConfigureAwait(false);
            return;
        }

        if (!entra.TryGetResourceApp(resource, out var appClientId))
        {
            await WriteManagedIdentityErrorAsync(context, 400, "invalid_resource", "AADSTS500011: " + ResourceNotFound(resource, entra)).ConfigureAwait(false);
            return;
        }

        var token = issuer.IssueToken(context, EntraTokens.MintOptions(issuer, resource.TrimEnd('/'), appClientId, identity.ClientId, identity.ObjectId, "2"));
        var expiresOn = token.ExpiresOnUnixSeconds.ToString(CultureInfo.InvariantCulture);
        var body = new Dictionary<string, object?>
        {
            ["access_token"] = token.Value,
            ["client_id"] = identity.ClientId,
            ["expires_on"] = expiresOn,
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        };
        if (!appService)
        {
            var expiresIn = token.ExpiresInSeconds.ToString(CultureInfo.InvariantCulture);
            body["expires_in"] = expiresIn;
            body["ext_expires_in"] = expiresIn;
            body["not_before"] = token.ServedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        await IssuerHttp.WriteJsonAsync(context, 200, body).ConfigureAwait(false);
    }

    private static Task WriteManagedIdentityErrorAsync(HttpContext context, int status, string error, string description)
        => IssuerHttp.WriteJsonAsync(context, status, new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });

    private static string ResourceNotFound(string resource, EntraDirectory entra)
        => $"The resource principal named {resource} was not found in the tenant named {entra.TenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.";
}
