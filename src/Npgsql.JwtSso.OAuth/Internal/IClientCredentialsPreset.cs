namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>
/// What one authorization-server product adds to the generic client-credentials grant: the endpoints it derives, its own
/// configuration checks, how it says "wait", and its advice in error messages. Members with bodies are the generic
/// behaviour (<see cref="GenericPreset"/>); a preset such as Okta's overrides only what differs.
/// </summary>
internal interface IClientCredentialsPreset
{
    /// <summary>Gets the source type named in configuration errors (<c>ClientCredentialsTokenSource</c>, <c>OktaTokenSource</c>).</summary>
    string SourceType { get; }

    /// <summary>Returns the source's <see cref="JwtTokenSource.Name"/> for the (prepared) options.</summary>
    string SourceName(ClientCredentialsTokenSourceOptions options);

    /// <summary>
    /// Checks what the preset owns and fills in what it derives (<see cref="ClientCredentialsTokenSourceOptions.Issuer"/>,
    /// <see cref="ClientCredentialsTokenSourceOptions.TokenEndpoint"/>) on the source's private copy; adds every problem to
    /// <paramref name="errors"/>. The generic checks of the grant run afterwards.
    /// </summary>
    void Prepare(ClientCredentialsTokenSourceOptions copy, List<string> errors);

    /// <summary>Returns how long the server asked the client to wait, from a failed response.</summary>
    TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time) => RetryAfterReader.Read(response, time);

    /// <summary>Returns the server's own rate-limit details for the 429 message, such as <c> (X-Rate-Limit-Remaining: 0)</c>.</summary>
    string RateLimitDetails(HttpResponseMessage? response) => string.Empty;

    /// <summary>Gets the advice that ends the 429 message.</summary>
    string RateLimitAdvice => " Keep one JwtTokenCache per identity so tokens are reused, and check other clients of the same server.";

    /// <summary>Returns the preset's hint for an OAuth error code (<c>unauthorized_client</c>, <c>access_denied</c>, <c>invalid_scope</c>), or <see langword="null"/> for the generic one.</summary>
    string? ErrorHint(string error, ClientCredentialsTokenSourceOptions options) => null;

    /// <summary>Gets the advice given when the server issues an opaque (non-JWT) access token.</summary>
    string OpaqueTokenHint
        => "Configure the server to issue JWT access tokens (Auth0: request an API Audience; Keycloak and Entra issue JWTs; others may need a 'JWT access token' setting).";
}
