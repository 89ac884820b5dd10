using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>
/// Okta's custom authorization servers (<c>/oauth2/{id}</c>): discovery, keys and the token endpoint with the
/// client-credentials grant, Okta's error JSON and its rate-limit headers; plus the org server's token endpoint, which
/// refuses custom scopes as Okta does.
/// </summary>
internal static partial class VendorEndpoints
{
    static partial void MapOkta(IEndpointRouteBuilder app, LocalJwtIssuer issuer)
    {
        RequestDelegate discovery = context => OktaDiscoveryAsync(context, issuer);
        MapOktaEndpoint(app, issuer, "GET", "/oauth2/{serverId}/.well-known/oauth-authorization-server", IssuerEndpointNames.OktaDiscovery, discovery);
        MapOktaEndpoint(app, issuer, "GET", "/oauth2/{serverId}/.well-known/openid-configuration", IssuerEndpointNames.OktaDiscovery, discovery);
        MapOktaEndpoint(app, issuer, "GET", "/oauth2/{serverId}/v1/keys", IssuerEndpointNames.OktaKeys, context =>
            FindOktaServer(context, issuer) is null
                ? OktaNotFoundAsync(context)
                : IssuerHttp.WriteTextAsync(context, 200, issuer.JwksJson, "application/json"));
        MapOktaEndpoint(app, issuer, "POST", "/oauth2/{serverId}/v1/token", IssuerEndpointNames.OktaToken, context => OktaTokenAsync(context, issuer));
        MapOktaEndpoint(app, issuer, "POST", "/oauth2/v1/token", IssuerEndpointNames.OktaToken, context =>
            OktaErrorAsync(context, 400, "invalid_scope", "Custom scopes are not allowed for this request."));
    }

    private static void MapOktaEndpoint(IEndpointRouteBuilder app, LocalJwtIssuer issuer, string method, string pattern, string name, RequestDelegate handler)
    {
        var isToken = name == IssuerEndpointNames.OktaToken;
        app.MapMethods(pattern, [method], async context =>
        {
            // Okta puts the rate-limit headers on every response, throttled or not.
            var bucket = issuer.Okta.Take(isToken, issuer.Time.GetUtcNow());
            var headers = context.Response.Headers;
            headers["X-Rate-Limit-Limit"] = bucket.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-Rate-Limit-Remaining"] = bucket.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-Rate-Limit-Reset"] = bucket.ResetEpochSeconds.ToString(CultureInfo.InvariantCulture);
            if (await issuer.ApplyFaultAsync(context, name).ConfigureAwait(false))
            {
                return;
            }

            if (!bucket.Allowed)
            {
                await IssuerHttp.WriteJsonAsync(context, 429, new Dictionary<string, object?>
                {
                    ["errorCode"] = "E0000047",
                    ["errorSummary"] = "API call exceeded rate limit due to too many requests.",
                    ["errorLink"] = "E0000047",
                    ["errorId"] = Guid.NewGuid().ToString("N"),
                    ["errorCauses"] = Array.Empty<object>(),
                }).ConfigureAwait(false);
                return;
            }

            await handler(context).ConfigureAwait(false);
        });
    }

    private static LocalOktaServer? FindOktaServer(HttpContext context, LocalJwtIssuer issuer)
        => context.Request.RouteValues["serverId"] is string id ? issuer.Okta.FindServer(id) : null;

    private static Task OktaDiscoveryAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        if (FindOktaServer(context, issuer) is not { } server)
        {
            return OktaNotFoundAsync(context);
        }

        var iss = OktaIssuer(context, server);
        return IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["issuer"] = iss,
            ["authorization_endpoint"] = iss + "/v1/authorize",
            ["token_endpoint"] = iss + "/v1/token",
            ["jwks_uri"] = iss + "/v1/keys",
            ["grant_types_supported"] = new[] { "authorization_code", "implicit", "refresh_token", "password", "client_credentials" },
            ["response_types_supported"] = new[] { "code", "token", "id_token" },
            ["scopes_supported"] = server.Scopes.ToArray(),
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none" },
            ["dpop_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
        });
    }

    private static async Task OktaTokenAsync(HttpContext context, LocalJwtIssuer issuer)
    {
        if (FindOktaServer(context, issuer) is not { } server)
        {
            await OktaNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
        string? Field(string name) => form is not null && form.TryGetValue(name, out var v) && v.Count > 0 ? v.ToString() : null;

        if (Field("grant_type") is not { } grantType)
        {
            await OktaErrorAsync(context, 400, "invalid_request", "The token request must specify a 'grant_type'. Valid values: [authorization_code, client_credentials, password, refresh_token, urn:ietf:params:oauth:grant-type:device_code]").ConfigureAwait(false);
            return;
        }

        var tokenEndpoint = OktaIssuer(context, server) + "/v1/token";
        var auth = await OktaClientAuthentication.AuthenticateAsync(context, issuer, tokenEndpoint, Field).ConfigureAwait(false);
        if (auth.Error is { } authError)
        {
            await OktaErrorAsync(context, 401, "invalid_client", authError).ConfigureAwait(false);
            return;
        }

        var client = auth.Client!;
        if (client.RequireDpop && !context.Request.Headers.ContainsKey("DPoP"))
        {
            await OktaErrorAsync(context, 400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.").ConfigureAwait(false);
            return;
        }

        if (grantType != "client_credentials" || !client.GrantTypes.Contains("client_credentials"))
        {
            await OktaErrorAsync(context, 400, "unauthorized_client", $"The client is not authorized to use the provided grant type. Configured grant types: [{string.Join(", ", client.GrantTypes)}].").ConfigureAwait(false);
            return;
        }

        var scopes = (Field("scope") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0)
        {
            await OktaErrorAsync(context, 400, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.").ConfigureAwait(false);
            return;
        }

        if (scopes.Any(s => !server.Scopes.Contains(s)))
        {
            await OktaErrorAsync(context, 400, "invalid_scope", "One or more scopes are not configured for the authorization server resource.").ConfigureAwait(false);
            return;
        }

        if (!client.HasAccessPolicy || (client.AllowedScopes is { } allowed && scopes.Any(s => !allowed.Contains(s))))
        {
            await OktaErrorAsync(context, 400, "access_denied", "Policy evaluation failed for this request, please check the policy configurations.").ConfigureAwait(false);
            return;
        }

        var mint = new JwtMintOptions
        {
            Issuer = OktaIssuer(context, server),
            Subject = client.ClientId,
            Audience = server.Audience,
            Lifetime = server.TokenLifetime,
        };
        mint.Claims["ver"] = 1;
        mint.Claims["jti"] = "AT." + Guid.NewGuid().ToString("N");
        mint.Claims["cid"] = client.ClientId;
        mint.Claims["scp"] = scopes;
        var token = issuer.IssueToken(context, mint);
        await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = token.ExpiresInSeconds,
            ["access_token"] = token.Value,
            ["scope"] = string.Join(' ', scopes),
        }).ConfigureAwait(false);
    }

    private static string OktaIssuer(HttpContext context, LocalOktaServer server) => $"{IssuerHttp.BaseUrl(context)}/oauth2/{server.Id}";

    private static Task OktaErrorAsync(HttpContext context, int status, string error, string description)
        => IssuerHttp.WriteJsonAsync(context, status, new Dictionary<string, object?> { ["error"] = error, ["error_description"] = description });

    private static Task OktaNotFoundAsync(HttpContext context)
        => IssuerHttp.WriteJsonAsync(context, 404, new Dictionary<string, object?>
        {
            ["errorCode"] = "E0000007",
            ["errorSummary"] = $"Not found: Resource not found: {context.Request.RouteValues["serverId"]} (AuthorizationServer)",
            ["errorLink"] = "E0000007",
            ["errorId"] = Guid.NewGuid().ToString("N"),
            ["errorCauses"] = Array.Empty<object>(),
        });
}
