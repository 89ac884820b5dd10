using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Npgsql.JwtSso.Testing.Internal.Vendors;

/// <summary>Entra's error response: <c>{"error", "error_description": "AADSTSnnn: … Trace ID: …", "error_codes": [nnn], …}</c>.</summary>
internal static class EntraErrors
{
    internal static Task WriteAsync(HttpContext context, LocalJwtIssuer issuer, int status, string error, int code, string description)
    {
        var now = issuer.Time.GetUtcNow();
        var traceId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();
        var timestamp = now.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return IssuerHttp.WriteJsonAsync(context, status, new Dictionary<string, object?>
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            ["error_codes"] = new[] { code },
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"{IssuerHttp.BaseUrl(context)}/error?code={code}",
        });
    }
}
