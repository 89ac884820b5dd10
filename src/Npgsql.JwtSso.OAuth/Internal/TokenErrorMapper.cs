using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>Turns a failed token response into a <see cref="JwtSsoException"/> whose message says what to check.</summary>
internal static partial class TokenErrorMapper
{
    private const int MaxDescriptionLength = 300;

    internal static JwtSsoException Map(TokenResponse response, ClientCredentialsGrant grant, Uri endpoint, TimeProvider time)
    {
        var name = grant.SourceName;
        var preset = grant.Preset;
        var status = response.HttpStatusCode;
        if (response.ErrorType == ResponseErrorType.Exception)
        {
            return new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                name,
                $"{name}: Could not reach the token endpoint {endpoint} ({response.Exception?.GetType().Name}: {Clip(response.Exception?.Message)}). Check the URL, DNS, proxy and TLS trust; the request will be retried.",
                response.Exception) { IsTransient = true };
        }

        var error = response.TryGet("error");
        var description = Clip(response.TryGet("error_description"));
        var said = error is null ? string.Empty : $" '{error}'{(description.Length == 0 ? string.Empty : $": {description}")}";
        var retryAfter = preset.RetryAfter(response.HttpResponse, time);

        if (status == HttpStatusCode.TooManyRequests)
        {
            var wait = retryAfter is { } r ? string.Create(CultureInfo.InvariantCulture, $"; retry in {Math.Ceiling(r.TotalSeconds)} s") : string.Empty;
            return new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                name,
                $"{name}: The token endpoint {endpoint} is rate limiting this client (HTTP 429){preset.RateLimitDetails(response.HttpResponse)}{wait}.{preset.RateLimitAdvice}")
            { IsTransient = true, RetryAfter = retryAfter };
        }

        if ((int)status >= 500 || status == HttpStatusCode.RequestTimeout)
        {
            return new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                name,
                $"{name}: The token endpoint {endpoint} failed with HTTP {(int)status}{said}; this is usually temporary and will be retried.")
            { IsTransient = true, RetryAfter = retryAfter };
        }

        var hint = error switch
        {
            "invalid_client" => ClientHint(grant),
            "invalid_scope" => ScopeHint(grant, description, endpoint),
            "unauthorized_client" => preset.ErrorHint(error, grant.Options)
                ?? "The client may not use the client-credentials grant: enable it for this client (Keycloak: 'Service accounts roles'; Auth0: authorize the application for the API; Okta: API Services app).",
            "access_denied" => preset.ErrorHint(error, grant.Options)
                ?? "The authorization server denied the request: check that the client is granted access to the requested scopes/audience.",
            "invalid_dpop_proof" or "use_dpop_nonce" => "The app requires DPoP-bound tokens, which cannot be used as a database password: turn off 'Require DPoP' for this client (Okta: General settings of the app).",
            "unsupported_grant_type" => "The server does not accept grant_type=client_credentials at this endpoint: check the token endpoint URL and that the grant is enabled.",
            "invalid_request" => "The server rejected the request's shape: check AdditionalParameters, Audience and Resources.",
            _ when status == HttpStatusCode.NotFound => "Nothing answers at this URL: check Issuer/TokenEndpoint (Okta: https://{domain}/oauth2/{authorizationServerId}/v1/token).",
            _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ClientHint(grant),
            _ => "Check the client registration and the token request options.",
        };
        var headline = error is null
            ? $"The token endpoint {endpoint} answered HTTP {(int)status} {response.HttpErrorReason} without an OAuth error."
            : $"The token endpoint {endpoint} refused to issue a token (HTTP {(int)status}){said}.";
        return new JwtSsoException(JwtSsoErrorKind.SourceFailed, name, $"{name}: {headline} {hint}") { RetryAfter = retryAfter };
    }

    private static string ClientHint(ClientCredentialsGrant grant) => grant.Options.AuthenticationMethod switch
    {
        ClientAuthenticationMethod.PrivateKeyJwt =>
            $"Client authentication failed: check ClientId '{grant.ClientId}', that the app's client authentication is 'Public key / Private key' (private_key_jwt), that the public key registered for it matches the private key (kid '{grant.SigningCredentials?.Key.KeyId ?? "none"}'), and that this machine's clock is right (the assertion's iat/exp).",
        var method =>
            $"Client authentication failed: check ClientId '{grant.ClientId}' and ClientSecret, and that the app's client authentication method is {(method == ClientAuthenticationMethod.ClientSecretBasic ? "client_secret_basic" : "client_secret_post")} (AuthenticationMethod = {method}).",
    };

    private static string ScopeHint(ClientCredentialsGrant grant, string description, Uri endpoint)
    {
        var scopes = grant.Options.Scopes;
        if (scopes.Count == 0)
        {
            return "No scope was requested: the client-credentials grant needs at least one custom scope: add it to Scopes.";
        }

        var orgServer = endpoint.AbsolutePath.StartsWith("/oauth2/v1/", StringComparison.OrdinalIgnoreCase)
            || description.Contains("Custom scopes are not allowed", StringComparison.OrdinalIgnoreCase);
        if (orgServer)
        {
            // Okta's org server answers the generic source too, so the hint does not wait for the Okta preset.
            return "This is Okta's org authorization server, which does not issue client-credentials tokens with custom scopes: use a custom authorization server (https://{domain}/oauth2/{authorizationServerId}, for example 'default').";
        }

        return grant.Preset.ErrorHint("invalid_scope", grant.Options)
            ?? $"The server does not grant the requested scopes ({string.Join(' ', scopes)}) to this client: check the scope names and the client's allowed scopes.";
    }

    internal static string Clip(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Servers sometimes echo what they were sent; anything JWT-shaped or a long base64 run is treated as a secret.
        text = SecretLike().Replace(text.ReplaceLineEndings(" ").Trim(), "[redacted]");
        return text.Length <= MaxDescriptionLength ? text : string.Concat(text.AsSpan(0, MaxDescriptionLength), "…");
    }

    [GeneratedRegex(@"[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]*|[A-Za-z0-9_\-+]{24,}=*", RegexOptions.CultureInvariant)]
    private static partial Regex SecretLike();
}
