using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>The vendor-neutral endpoints: discovery, JWKS and the plain JSON token endpoint.</summary>
internal static class GenericEndpoints
{
    internal static void Map(IEndpointRouteBuilder app, LocalJwtIssuer issuer)
    {
        app.MapIssuerEndpoint(issuer, "GET", "/.well-known/openid-configuration", IssuerEndpointNames.Discovery, context =>
        {
            var baseUrl = IssuerHttp.BaseUrl(context);
            return IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
            {
                ["issuer"] = issuer.Issuer,
                ["jwks_uri"] = baseUrl + "/.well-known/jwks.json",
                ["token_endpoint"] = baseUrl + "/token",
                ["response_types_supported"] = new[] { "token", "id_token" },
                ["grant_types_supported"] = new[] { "client_credentials" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic", "private_key_jwt", "none" },
            });
        });

        RequestDelegate jwks = context => IssuerHttp.WriteTextAsync(context, 200, issuer.JwksJson, "application/json");
        app.MapIssuerEndpoint(issuer, "GET", "/.well-known/jwks.json", IssuerEndpointNames.Jwks, jwks);
        app.MapIssuerEndpoint(issuer, "GET", "/jwks", IssuerEndpointNames.Jwks, jwks);

        app.MapIssuerEndpoint(issuer, "POST", "/token", IssuerEndpointNames.Token, async context =>
        {
            // Optional form or query fields pick the subject and audience; everything else uses the issuer defaults.
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
            var options = new JwtMintOptions
            {
                Subject = Field(context, form, "subject"),
                Audience = Field(context, form, "audience"),
            };
            var token = issuer.IssueToken(context, options);
            await IssuerHttp.WriteJsonAsync(context, 200, new Dictionary<string, object?>
            {
                ["access_token"] = token.Value,
                ["token_type"] = "Bearer",
                ["expires_in"] = token.ExpiresInSeconds,
            }).ConfigureAwait(false);
        });
    }

    private static string? Field(HttpContext context, IFormCollection? form, string name)
    {
        var value = form is not null && form.TryGetValue(name, out var f) ? f.ToString() : context.Request.Query[name].ToString();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
