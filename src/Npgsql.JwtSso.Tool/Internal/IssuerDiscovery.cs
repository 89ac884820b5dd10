using System.Text.Json;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Reads an issuer's signing keys the way a CockroachDB node with auto-fetch does: discovery document, then <c>jwks_uri</c>.</summary>
internal static class IssuerDiscovery
{
    public static Uri DiscoveryUrl(string issuer)
    {
        var baseUrl = issuer.EndsWith('/') ? issuer[..^1] : issuer;
        return Uri.TryCreate(baseUrl + "/.well-known/openid-configuration", UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new ToolException(ExitCodes.Unavailable, $"the issuer '{issuer}' is not an http(s) URL, so its discovery document cannot be fetched; give the keys another way (a JWKS file).");
    }

    /// <summary>Fetches the issuer's JWKS (from <paramref name="jwksUrl"/> when given, else through discovery) and returns it compacted.</summary>
    public static async Task<(Uri JwksUrl, string Jwks)> FetchJwksAsync(HttpClient http, string issuer, string? jwksUrl, CancellationToken cancellationToken, TlsTrust? trust = null)
    {
        Uri jwksUri;
        if (jwksUrl is not null)
        {
            jwksUri = new Uri(jwksUrl);
        }
        else
        {
            var discovery = DiscoveryUrl(issuer);
            using var document = await GetJsonAsync(http, discovery, trust, cancellationToken).ConfigureAwait(false);
            jwksUri = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("jwks_uri", out var value)
                && value.ValueKind == JsonValueKind.String
                && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var parsed)
                ? parsed
                : throw new ToolException(ExitCodes.Unavailable, $"{discovery} has no jwks_uri (CockroachDB logs 'no JWKS URI found in OpenID configuration'): use the issuer_jwks_map form of {ClusterJwtSettings.IssuersName} or a static JWKS.");
        }

        using var jwks = await GetJsonAsync(http, jwksUri, trust, cancellationToken).ConfigureAwait(false);
        if (jwks.RootElement.ValueKind != JsonValueKind.Object || !jwks.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            throw new ToolException(ExitCodes.Unavailable, $"{jwksUri} is not a JWK Set (no \"keys\" array).");
        }

        return (jwksUri, JsonSerializer.Serialize(jwks.RootElement));
    }

    /// <summary>Lists the signing keys of a JWKS value (a set or one JWK) as (kid, alg) pairs; keys with <c>use</c> other than <c>sig</c> are skipped, as on the cluster.</summary>
    public static IReadOnlyList<(string? Kid, string? Alg, JsonElement Jwk)>? SigningKeys(string jwks)
    {
        try
        {
            using var document = JsonDocument.Parse(jwks);
            var root = document.RootElement;
            var keys = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keys", out var k) && k.ValueKind == JsonValueKind.Array
                ? k.EnumerateArray().ToList()
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kty", out _) ? [root] : null;
            return keys?
                .Where(key => key.ValueKind == JsonValueKind.Object && (!key.TryGetProperty("use", out var use) || use.GetString() == "sig"))
                .Select(key => (Text(key, "kid"), Text(key, "alg"), key.Clone()))
                .ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, Uri url, TlsTrust? trust, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ToolException(ExitCodes.Unavailable, $"GET {url} returned {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new ToolException(ExitCodes.Unavailable, ErrorText.TlsCause(e, trust) is { } tls ? $"GET {url} failed: {tls}" : $"GET {url} failed: {ErrorText.OneLine(e.Message)}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException(ExitCodes.Unavailable, $"GET {url} timed out.", e);
        }
        catch (JsonException e)
        {
            throw new ToolException(ExitCodes.Unavailable, $"{url} did not return JSON: {e.Message}", e);
        }
    }
}
