using Google.Apis.Auth.OAuth2;

namespace Npgsql.JwtSso.Gcp;

/// <summary>
/// Options of <see cref="GcpTokenSource"/>: which Google identity signs in, and for which audience its Google-signed
/// ID token (<c>iss</c> <c>https://accounts.google.com</c>) is issued.
/// </summary>
/// <remarks>
/// Set at most one of <see cref="Credential"/>, <see cref="CredentialJson"/> and <see cref="CredentialFile"/>; with none
/// of them, application default credentials are used (<c>GOOGLE_APPLICATION_CREDENTIALS</c>, then the gcloud
/// well-known file, then the metadata server of GCE, GKE, Cloud Run and Cloud Functions).
/// </remarks>
public sealed class GcpTokenSourceOptions
{
    /// <summary>
    /// Gets or sets the audience the ID token is issued for (its <c>aud</c> claim). It must equal one of the values of
    /// the cluster setting <c>server.jwt_authentication.audience</c>. Required.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Audience { get; set; }

    /// <summary>
    /// Gets or sets an explicit Google credential (for example one built with <c>CredentialFactory</c> or
    /// <c>GoogleCredential.FromComputeCredential</c>). It must be able to mint ID tokens (service-account key, metadata
    /// server, impersonated credential) unless <see cref="ImpersonateServiceAccount"/> is set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public GoogleCredential? Credential { get; set; }

    /// <summary>
    /// Gets or sets the content of a credential JSON file (a service-account key, or a user, external-account or
    /// impersonated-service-account configuration). Treat it as a secret.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CredentialJson { get; set; }

    /// <summary>Gets or sets the path of a credential JSON file; read on the first fetch (and again after a failure).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CredentialFile { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the metadata server (GCE, GKE, Cloud Run, Cloud Functions) is used
    /// directly, without looking for a key file first and without probing whether a metadata server answers. Without
    /// it, application default credentials also go straight to the metadata server when the environment says Google
    /// Cloud (<c>GCE_METADATA_HOST</c>, <c>K_SERVICE</c>, <c>FUNCTION_TARGET</c>, a Google DMI product name), and probe
    /// it once per attempt otherwise. Not combinable with <see cref="Credential"/>, <see cref="CredentialJson"/> or
    /// <see cref="CredentialFile"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseMetadataServer { get; set; }

    /// <summary>
    /// Gets or sets the email of a service account to impersonate through the IAM Credentials <c>generateIdToken</c>
    /// API. Required for credentials that cannot mint ID tokens themselves: user credentials (gcloud) and workload
    /// identity federation (external accounts). The source identity needs
    /// <c>roles/iam.serviceAccountOpenIdTokenCreator</c> on this service account.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no impersonation).</value>
    public string? ImpersonateServiceAccount { get; set; }

    /// <summary>Gets the delegation chain for <see cref="ImpersonateServiceAccount"/> (service-account emails), if any.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<string> Delegates { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether the token carries the <c>email</c> and <c>email_verified</c> claims, so
    /// the cluster can use <c>server.jwt_authentication.claim = email</c>. On the metadata server this requests
    /// <c>format=full</c>; service-account keys and impersonation always include the email.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeEmail { get; set; } = true;

    /// <summary>
    /// Gets or sets the remaining lifetime below which a token cached by Google's own <c>OidcToken</c> is not reused:
    /// a fresh one is requested instead.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan MinimumTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets a replacement for the IAM Credentials endpoint <c>https://iamcredentials.googleapis.com</c> used by
    /// impersonation (a Private Service Connect endpoint, a proxy, or a local fake in tests). Only the scheme, host and
    /// port are replaced; the path Google's library builds is kept.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (Google's endpoint).</value>
    public Uri? IamCredentialsEndpoint { get; set; }
}
