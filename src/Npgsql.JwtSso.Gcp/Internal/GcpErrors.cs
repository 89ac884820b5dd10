using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Google.Apis.Auth.OAuth2.Responses;

namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>Maps Google.Apis.Auth failures to <see cref="JwtSsoException"/>s that say what to check. Never includes token text.</summary>
internal static partial class GcpErrors
{
    internal const string SourceName = "gcp";

    internal static JwtSsoException Configuration(string message, Exception? inner = null)
        => Create(JwtSsoErrorKind.Configuration, message, inner);

    internal static JwtSsoException InvalidToken(string message, Exception? inner = null)
        => Create(JwtSsoErrorKind.InvalidToken, message, inner);

    /// <summary>A <see cref="JwtSsoErrorKind.SourceFailed"/> failure that the next attempt may not have.</summary>
    internal static JwtSsoException Transient(string message, Exception? inner = null)
        => Create(JwtSsoErrorKind.SourceFailed, message, inner, transient: true);

    /// <summary>Every message starts with the source name, so logs of several sources stay readable.</summary>
    private static JwtSsoException Create(JwtSsoErrorKind kind, string message, Exception? inner, bool transient = false, TimeSpan? retryAfter = null)
        => new(kind, SourceName, $"{SourceName}: {message}", inner) { IsTransient = transient, RetryAfter = retryAfter };

    internal static JwtSsoException Map(Exception e, GcpCredential? credential, string audience, TimeSpan? retryAfter)
    {
        var origin = credential?.Origin ?? "the Google credential";
        var route = Route(credential);
        return e switch
        {
            JwtSsoException already => already,
            Google.Apis.Auth.InvalidJwtException => InvalidToken(
                $"{Route(credential)} returned an ID token for {origin} that is not a well-formed JWT; check that the endpoint is a Google endpoint (GCE_METADATA_HOST, token_uri, IamCredentialsEndpoint)."),
            TokenResponseException t => FromTokenResponse(t, credential, origin, route, audience, retryAfter),
            HttpRequestException h when IsUnreachable(h) => Create(JwtSsoErrorKind.SourceFailed,
                $"Could not reach {route} for {origin} ({Describe(h)}). {UnreachableHint(credential)}", e, transient: true, retryAfter),
            HttpRequestException h => Create(JwtSsoErrorKind.SourceFailed,
                $"The request to {route} for {origin} failed ({Describe(h)}).", e, transient: true, retryAfter),
            TaskCanceledException or TimeoutException => Create(JwtSsoErrorKind.SourceFailed,
                $"The request to {route} for {origin} timed out. Check network access to it.", e, transient: true, retryAfter),
            _ => Create(JwtSsoErrorKind.SourceFailed,
                $"Getting a Google ID token for audience '{audience}' from {origin} failed ({e.GetType().Name}: {Redact(e.Message)}).", IsSafe(e) ? e : null, transient: false, retryAfter),
        };
    }

    private static JwtSsoException FromTokenResponse(TokenResponseException t, GcpCredential? credential, string origin, string route, string audience, TimeSpan? retryAfter)
    {
        var status = t.StatusCode;
        var code = status is { } s ? $"HTTP {(int)s}" : "an error";
        var detail = Detail(t);
        var transient = status is null || (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;
        var hint = (status, credential?.Kind) switch
        {
            (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, GcpCredentialKind.Impersonation) =>
                $" Grant the calling identity roles/iam.serviceAccountOpenIdTokenCreator on the impersonated service account, check the account exists and the IAM Credentials API is enabled in its project.",
            (HttpStatusCode.NotFound, GcpCredentialKind.Impersonation) =>
                " The impersonated service account (ImpersonateServiceAccount) was not found; check its email.",
            (HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, GcpCredentialKind.ServiceAccountKey) =>
                " The key may have been deleted or disabled, the service account disabled, or this machine's clock is off; create a new key or check the account.",
            (HttpStatusCode.NotFound, GcpCredentialKind.MetadataServer) =>
                " The metadata server has no service account for this workload (GKE: enable Workload Identity and annotate the Kubernetes service account).",
            (HttpStatusCode.Forbidden, GcpCredentialKind.MetadataServer) =>
                " The metadata server refused the identity request; check the workload's service account.",
            (HttpStatusCode.BadRequest, _) => $" Check the audience '{audience}' (it must be a plain string such as https://crdb.example.com).",
            _ when transient => " This is usually temporary; the request will be retried.",
            _ => string.Empty,
        };

        // Google's error text comes from the server: redacted, and the exception that carries it is kept only if clean.
        return Create(JwtSsoErrorKind.SourceFailed,
            $"{char.ToUpperInvariant(route[0])}{route[1..]} refused an ID token for audience '{audience}' to {origin}: {code}{detail}.{hint}", IsSafe(t) ? t : null, transient, retryAfter);
    }

    private static string Detail(TokenResponseException t)
    {
        var error = t.Error;
        var parts = new[] { error?.Error, error?.ErrorDescription }.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        return parts.Length == 0 ? string.Empty : $" ({Trim(Redact(string.Join(": ", parts)))})";
    }

    /// <summary>Replaces anything shaped like a JWT or an OAuth access token in server-provided text.</summary>
    internal static string Redact(string text) => SecretPattern().Replace(text, "[redacted]");

    private static bool IsSafe(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (SecretPattern().IsMatch(current.Message))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)*|ya29\.[A-Za-z0-9_\-\.]+|-----BEGIN[^-]*-----[^-]*", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Route(GcpCredential? credential) => credential?.Kind switch
    {
        GcpCredentialKind.MetadataServer => "the GCE metadata server",
        GcpCredentialKind.ServiceAccountKey => "the Google OAuth token endpoint (the key file's token_uri)",
        GcpCredentialKind.Impersonation => "the IAM Credentials API (generateIdToken)",
        _ => "Google",
    };

    private static string UnreachableHint(GcpCredential? credential) => credential?.Kind == GcpCredentialKind.MetadataServer
        ? "The metadata server only exists on GCE, GKE, Cloud Run and Cloud Functions (GCE_METADATA_HOST overrides its address); elsewhere set CredentialFile or GOOGLE_APPLICATION_CREDENTIALS."
        : "Check network and proxy access to it.";

    private static bool IsUnreachable(HttpRequestException e)
        => e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            || e.InnerException is SocketException;

    private static string Describe(HttpRequestException e) => e.StatusCode is { } s ? $"HTTP {(int)s}" : e.Message;
}
