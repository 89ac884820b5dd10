namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Fetches an issuer's keys with the core's auto-fetch rules (<see cref="CockroachJwksFetcher"/>) and turns a failure into a tool error that names the URL and the fix.</summary>
internal static class IssuerKeys
{
    public static async Task<CockroachJwksFetchResult> FetchAsync(HttpClient http, string issuer, string? jwksUrl, TlsTrust? trust, CancellationToken cancellationToken)
    {
        var result = await CockroachJwksFetcher.FetchAsync(http, issuer, jwksUrl, Timeout.InfiniteTimeSpan, requireSuccessStatus: true, cancellationToken).ConfigureAwait(false);
        var url = result.FailedUrl;
        return result.Failure switch
        {
            CockroachJwksFetchFailure.None => result,
            CockroachJwksFetchFailure.UnsupportedScheme when result.JwksUrl is null => throw Unavailable(
                $"the issuer '{issuer}' is not an http(s) URL, so its discovery document cannot be fetched; give the keys another way (a JWKS file)."),
            CockroachJwksFetchFailure.UnsupportedScheme => throw Unavailable($"the JWKS URL '{url}' is not an http(s) URL."),
            CockroachJwksFetchFailure.Transport => throw Unavailable(
                ErrorText.TlsCause(result.Exception!, trust) is { } tls ? $"GET {url} failed: {tls}" : $"GET {url} failed: {ErrorText.OneLine(result.Exception!.Message)}", result.Exception),
            CockroachJwksFetchFailure.Timeout => throw Unavailable($"GET {url} timed out.", result.Exception),
            CockroachJwksFetchFailure.HttpStatus => throw Unavailable($"GET {url} returned {result.Status}."),
            CockroachJwksFetchFailure.NoJwksUri => throw Unavailable(
                $"{url} has no jwks_uri (CockroachDB logs 'no JWKS URI found in OpenID configuration'): use the issuer_jwks_map form of {ClusterJwtSettings.IssuersName} or a static JWKS."),
            _ => throw Unavailable($"{url} is not a JWK Set ({result.Error})."),
        };
    }

    private static ToolException Unavailable(string message, Exception? inner = null) => new(ExitCodes.Unavailable, message, inner);
}
