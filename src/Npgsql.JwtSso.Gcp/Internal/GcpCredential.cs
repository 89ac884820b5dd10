using Google.Apis.Auth.OAuth2;

namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>What the source mints ID tokens with, and where it came from (for error messages; never secret).</summary>
internal sealed record GcpCredential(IOidcTokenProvider Provider, GcpCredentialKind Kind, string Origin);

/// <summary>The route an ID token takes.</summary>
internal enum GcpCredentialKind
{
    /// <summary>The metadata server's identity endpoint (GCE, GKE, Cloud Run, Cloud Functions).</summary>
    MetadataServer,

    /// <summary>A service-account key: a signed jwt-bearer assertion with <c>target_audience</c> to the key's <c>token_uri</c>.</summary>
    ServiceAccountKey,

    /// <summary>The IAM Credentials <c>generateIdToken</c> API, called as another identity.</summary>
    Impersonation,

    /// <summary>Any other ID-token-capable credential handed in by the caller.</summary>
    Other,
}
