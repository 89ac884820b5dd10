namespace Npgsql.JwtSso;

/// <summary>Why <see cref="CockroachJwksFetcher"/> could not produce a key set.</summary>
public enum CockroachJwksFetchFailure
{
    /// <summary>The keys were fetched and parsed.</summary>
    None,

    /// <summary>A URL (the discovery URL built from the issuer, or the <c>jwks_uri</c>) is not an absolute http or https URL.</summary>
    UnsupportedScheme,

    /// <summary>The request failed (connection, DNS, TLS); see <see cref="CockroachJwksFetchResult.Exception"/>.</summary>
    Transport,

    /// <summary>The request did not complete within the timeout (<c>server.jwt_authentication.client.timeout</c> on a node).</summary>
    Timeout,

    /// <summary>A response had a non-2xx status and success statuses were required (CockroachDB 26.2 and later).</summary>
    HttpStatus,

    /// <summary>The discovery document has no (or an empty) <c>jwks_uri</c>, or is not a JSON object.</summary>
    NoJwksUri,

    /// <summary>The JWKS response does not parse as a JWK Set or JWK.</summary>
    InvalidKeySet,
}
