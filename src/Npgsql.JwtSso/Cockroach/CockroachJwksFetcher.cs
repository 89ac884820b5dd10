using System.Text.Json;

namespace Npgsql.JwtSso;

/// <summary>
/// JWKS auto-fetch as released CockroachDB versions do it (crdb-jwt-server.md §4): no cache; the issuer→JWKS map's URL
/// when the issuers setting names one, otherwise discovery (<c>&lt;iss without one trailing /&gt;/.well-known/openid-configuration</c>
/// → <c>jwks_uri</c>, whose <c>issuer</c> field is not compared); then the JWKS parsed as jwx's <c>jwk.Parse</c> does.
/// </summary>
public static class CockroachJwksFetcher
{
    /// <summary>Returns the discovery URL a node builds for an issuer: one trailing <c>/</c> removed, then <c>/.well-known/openid-configuration</c>.</summary>
    /// <param name="issuer">The token's issuer.</param>
    /// <returns>The discovery URL (not checked to be a URL).</returns>
    public static string GetDiscoveryUrl(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return (issuer.EndsWith('/') ? issuer[..^1] : issuer) + "/.well-known/openid-configuration";
    }

    /// <summary>Fetches an issuer's key set.</summary>
    /// <param name="httpClient">The client to use (the caller chooses trust roots, proxy and handler; it is not disposed).</param>
    /// <param name="issuer">The token's issuer (already accepted by the issuers setting).</param>
    /// <param name="jwksUrl">The URL from <see cref="CockroachIssuersSetting.GetJwksUrl"/>, or <see langword="null"/> for discovery.</param>
    /// <param name="timeout">The limit for the whole fetch (<c>server.jwt_authentication.client.timeout</c>), or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="requireSuccessStatus">
    /// <see langword="true"/> to fail on a non-2xx response as CockroachDB 26.2 and later do; <see langword="false"/> to parse
    /// any response body as earlier versions do.
    /// </param>
    /// <param name="cancellationToken">Cancels the fetch (then <see cref="OperationCanceledException"/> is thrown).</param>
    /// <returns>The key set, or the failure with the node's log text.</returns>
    public static async Task<CockroachJwksFetchResult> FetchAsync(
        HttpClient httpClient, string issuer, string? jwksUrl, TimeSpan timeout, bool requireSuccessStatus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(issuer);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        if (jwksUrl is null)
        {
            var discovery = GetDiscoveryUrl(issuer);
            var document = await GetAsync(httpClient, discovery, requireSuccessStatus, cts.Token, cancellationToken).ConfigureAwait(false);
            if (document.Failure is not null)
            {
                return document.Failure;
            }

            jwksUrl = ReadJwksUri(document.Body!);
            if (jwksUrl is null)
            {
                return new CockroachJwksFetchResult(CockroachJwksFetchFailure.NoJwksUri, null, discovery, "unable to fetch jwks: no JWKS URI found in OpenID configuration");
            }
        }

        var jwks = await GetAsync(httpClient, jwksUrl, requireSuccessStatus, cts.Token, cancellationToken, jwksUrl).ConfigureAwait(false);
        if (jwks.Failure is not null)
        {
            return jwks.Failure;
        }

        return CockroachJsonWebKeySet.TryParse(jwks.Body, out var set, out var parseError)
            ? new CockroachJwksFetchResult(CockroachJwksFetchFailure.None, jwksUrl, null, null) { Keys = set, JwksJson = jwks.Body }
            : new CockroachJwksFetchResult(CockroachJwksFetchFailure.InvalidKeySet, jwksUrl, jwksUrl, "unable to fetch jwks: " + parseError);
    }

    private static async Task<(string? Body, CockroachJwksFetchResult? Failure)> GetAsync(
        HttpClient http, string url, bool requireSuccessStatus, CancellationToken cancellationToken, CancellationToken outerToken, string? jwksUrl = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            var scheme = uri?.Scheme ?? string.Empty;
            return (null, new(CockroachJwksFetchFailure.UnsupportedScheme, jwksUrl, url, $"unable to fetch jwks: Get \"{url}\": unsupported protocol scheme \"{scheme}\""));
        }

        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (requireSuccessStatus && !response.IsSuccessStatusCode)
            {
                var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                var error = $"JWT authentication: HTTP request failed: GET {url} returned {status}: {(body.Length > 200 ? body[..200] : body)}";
                return (null, new(CockroachJwksFetchFailure.HttpStatus, jwksUrl, url, error) { Status = status });
            }

            return (body, null);
        }
        catch (OperationCanceledException ex) when (!outerToken.IsCancellationRequested)
        {
            return (null, new(CockroachJwksFetchFailure.Timeout, jwksUrl, url, $"unable to fetch jwks: Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)") { Exception = ex });
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message;
            return (null, new(CockroachJwksFetchFailure.Transport, jwksUrl, url, $"unable to fetch jwks: Get \"{url}\": {reason}") { Exception = ex });
        }
    }

    private static string? ReadJwksUri(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("jwks_uri", out var v)
                && v.ValueKind == JsonValueKind.String
                && !string.IsNullOrEmpty(v.GetString())
                ? v.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // treated as a document without jwks_uri
        }
    }
}
