using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// JWKS auto-fetch as released CockroachDB versions do it: no cache, discovery (<c>&lt;iss&gt;/.well-known/openid-configuration</c>
/// → <c>jwks_uri</c>) unless the issuer→JWKS map names the URL, any status code accepted and the body parsed.
/// </summary>
internal sealed class JwksFetcher(JwksHttpClients clients)
{
    internal async Task<(JsonWebKeySet? Keys, string? Error)> FetchAsync(string issuer, IReadOnlyDictionary<string, string>? jwksMap, TimeSpan timeout, string customCa, bool rejectNon2xx, CancellationToken cancellationToken)
    {
        var http = clients.For(customCa);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        string? jwksUri;
        if (jwksMap is not null && jwksMap.TryGetValue(issuer, out var mapped))
        {
            jwksUri = mapped;
        }
        else
        {
            var discovery = (issuer.EndsWith('/') ? issuer[..^1] : issuer) + "/.well-known/openid-configuration";
            var (body, error) = await GetAsync(http, discovery, rejectNon2xx, cts.Token, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return (null, error);
            }

            if (!TryReadJwksUri(body!, out jwksUri))
            {
                return (null, "unable to fetch jwks: no JWKS URI found in OpenID configuration");
            }
        }

        var (jwks, fetchError) = await GetAsync(http, jwksUri, rejectNon2xx, cts.Token, cancellationToken).ConfigureAwait(false);
        if (fetchError is not null)
        {
            return (null, fetchError);
        }

        return JsonWebKeySet.TryParse(jwks, out var set, out var parseError)
            ? (set, null)
            : (null, "unable to fetch jwks: " + parseError);
    }

    private static async Task<(string? Body, string? Error)> GetAsync(HttpClient http, string url, bool rejectNon2xx, CancellationToken cancellationToken, CancellationToken outerToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            var scheme = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Scheme : string.Empty;
            return (null, $"unable to fetch jwks: Get \"{url}\": unsupported protocol scheme \"{scheme}\"");
        }

        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (rejectNon2xx && !response.IsSuccessStatusCode)
            {
                // 26.2+: explicit error (still log-only: the client sees "unable to validate token").
                var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                return (null, $"JWT authentication: HTTP request failed: GET {url} returned {status}: {(body.Length > 200 ? body[..200] : body)}");
            }

            return (body, null);
        }
        catch (OperationCanceledException) when (!outerToken.IsCancellationRequested)
        {
            return (null, $"unable to fetch jwks: Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message;
            return (null, $"unable to fetch jwks: Get \"{url}\": {reason}");
        }
    }

    private static bool TryReadJwksUri(string body, [NotNullWhen(true)] out string? jwksUri)
    {
        jwksUri = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("jwks_uri", out var v)
                && v.ValueKind == JsonValueKind.String
                && !string.IsNullOrEmpty(v.GetString()))
            {
                jwksUri = v.GetString()!;
                return true;
            }
        }
        catch (JsonException)
        {
            // Treated as a document without jwks_uri.
        }

        return false;
    }
}
