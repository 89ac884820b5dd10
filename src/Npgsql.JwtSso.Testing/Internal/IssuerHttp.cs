using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>Helpers for endpoint handlers of the issuer (generic and vendor-shaped).</summary>
internal static class IssuerHttp
{
    /// <summary>
    /// Maps a handler that first records the request and applies the fault configured for <paramref name="endpointName"/>
    /// (see <see cref="LocalJwtIssuer.ApplyFaultAsync"/>); the handler only runs when no fault produced the response.
    /// </summary>
    internal static IEndpointConventionBuilder MapIssuerEndpoint(
        this IEndpointRouteBuilder app, LocalJwtIssuer issuer, string method, string pattern, string endpointName, RequestDelegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return app.MapMethods(pattern, [method], async context =>
        {
            if (await issuer.ApplyFaultAsync(context, endpointName).ConfigureAwait(false))
            {
                return;
            }

            await handler(context).ConfigureAwait(false);
        });
    }

    /// <summary>Writes <paramref name="body"/> as a JSON object with the given status.</summary>
    internal static async Task WriteJsonAsync(HttpContext context, int statusCode, IReadOnlyDictionary<string, object?> body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(JsonObjectWriter.ToUtf8Bytes(body), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes plain text (e.g. a raw JWT for the GCE metadata identity endpoint).</summary>
    internal static async Task WriteTextAsync(HttpContext context, int statusCode, string text, string contentType = "text/plain; charset=utf-8")
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The base address of the request (scheme://host:port), for URLs in discovery documents.</summary>
    internal static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";
}
