namespace Npgsql.JwtSso;

/// <summary>The outcome of <see cref="CockroachJwksFetcher.FetchAsync"/>: the key set, or why there is none.</summary>
public sealed class CockroachJwksFetchResult
{
    internal CockroachJwksFetchResult(CockroachJwksFetchFailure failure, string? jwksUrl, string? failedUrl, string? error)
    {
        Failure = failure;
        JwksUrl = jwksUrl;
        FailedUrl = failedUrl;
        Error = error;
    }

    /// <summary>Gets the failure kind; <see cref="CockroachJwksFetchFailure.None"/> on success.</summary>
    public CockroachJwksFetchFailure Failure { get; }

    /// <summary>Gets a value indicating whether <see cref="Keys"/> holds the issuer's key set.</summary>
    public bool Succeeded => Keys is not null;

    /// <summary>Gets the parsed key set on success.</summary>
    public CockroachJsonWebKeySet? Keys { get; internal init; }

    /// <summary>Gets the JWKS document as fetched, on success.</summary>
    public string? JwksJson { get; internal init; }

    /// <summary>Gets the JWKS URL (mapped, or read from discovery), once known.</summary>
    public string? JwksUrl { get; }

    /// <summary>Gets the URL of the request that failed (discovery or JWKS).</summary>
    public string? FailedUrl { get; }

    /// <summary>
    /// Gets the failure as a CockroachDB node logs it (the client only sees <c>JWT authentication: unable to validate token</c>), for
    /// example <c>unable to fetch jwks: no JWKS URI found in OpenID configuration</c>.
    /// </summary>
    public string? Error { get; }

    /// <summary>Gets the HTTP status of a failed response (<see cref="CockroachJwksFetchFailure.HttpStatus"/>), as <c>403 Forbidden</c>.</summary>
    public string? Status { get; internal init; }

    /// <summary>Gets the exception behind a <see cref="CockroachJwksFetchFailure.Transport"/> or <see cref="CockroachJwksFetchFailure.Timeout"/> failure.</summary>
    public Exception? Exception { get; internal init; }
}
