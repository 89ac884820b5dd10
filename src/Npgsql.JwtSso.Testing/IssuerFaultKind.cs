namespace Npgsql.JwtSso.Testing;

/// <summary>The kinds of <see cref="IssuerFault"/>.</summary>
public enum IssuerFaultKind
{
    /// <summary>An error status (5xx by default) with a small JSON error body.</summary>
    ServerError,

    /// <summary>429 with a <c>Retry-After</c> header in seconds.</summary>
    TooManyRequests,

    /// <summary>An OAuth error response (<c>{"error": …, "error_description": …}</c>), 400 by default.</summary>
    OAuthError,

    /// <summary>No response until the client gives up (or the issuer stops).</summary>
    Hang,

    /// <summary>The normal response, with its body trickled out in small chunks.</summary>
    SlowBody,

    /// <summary>200 with a truncated, unparsable JSON body.</summary>
    GarbageJson,

    /// <summary>The normal response, but the token in it is not a JWT.</summary>
    NonJwtToken,

    /// <summary>The normal response, but the token in it expired before it was served.</summary>
    ExpiredToken,

    /// <summary>The normal response after an added delay.</summary>
    Latency,

    /// <summary>The connection is reset without a response.</summary>
    ConnectionReset,
}
