using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// JWKS auto-fetch as released CockroachDB versions do it: no cache, discovery (<c>&lt;iss&gt;/.well-known/openid-configuration</c>
/// → <c>jwks_uri</c>) unless the issuer→JWKS map names the URL, any status code accepted and the body parsed.
/// </summary>
internal sealed class JwksFetcher(HttpClient http)
{
    internal async Task<(JsonWebKeySet? Keys, string? Error)> FetchAsync(string issuer, IReadOnlyDictionary<string, string>? jwksMap, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
            var (body, error) = await GetAsync(discovery, cts.Token, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return (null, error);
            }

            if (!TryReadJwksUri(body!, out jwksUri))
            {
                return (null, "unable to fetch jwks: no JWKS URI found in OpenID configuration");
            }
        }

        var (jwks, fetchError) = await GetAsync(jwksUri, cts.Token, cancellationToken).ConfigureAwait(false);
        if (fetchError is not null)
        {
            return (null, fetchError);
        }

        return JsonWebKeySet.TryParse(jwks, out var set, out var parseError)
            ? (set, null)
            : (null, "unable to fetch jwks: " + parseError);
    }

    private async Task<(string? Body, string? Error)> GetAsync(string url, CancellationToken cancellationToken, CancellationToken outerToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            var scheme = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Scheme : string.Empty;
            return (null, $"unable to fetch jwks: Get \"{url}\": unsupported protocol scheme \"{scheme}\"");
        }

        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!outerToken.IsCancellationRequested)
        {
            return (null, $"unable to fetch jwks: Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"unable to fetch jwks: Get \"{url}\": {ex.Message}");
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
