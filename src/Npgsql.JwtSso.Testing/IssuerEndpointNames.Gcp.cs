namespace Npgsql.JwtSso.Testing;

/// <summary>Names of the Google Cloud endpoints of the issuer (see <see cref="GcpFake"/>).</summary>
public static partial class IssuerEndpointNames
{
    /// <summary><c>GET /</c> with <c>Metadata-Flavor: Google</c>: the metadata server detection ping.</summary>
    public const string GcpMetadataPing = "gcp.metadata.ping";

    /// <summary><c>GET /computeMetadata/v1/instance/service-accounts/default/identity?audience=…&amp;format=…</c>: the raw ID token.</summary>
    public const string GcpMetadataIdentity = "gcp.metadata.identity";

    /// <summary><c>GET /computeMetadata/v1/instance/service-accounts/default/token</c>: an access token of the default service account.</summary>
    public const string GcpMetadataToken = "gcp.metadata.token";

    /// <summary><c>POST /gcp/oauth2/token</c>: Google's OAuth token endpoint (a key file's <c>token_uri</c>), jwt-bearer grant.</summary>
    public const string GcpOAuthToken = "gcp.oauth.token";

    /// <summary><c>POST /gcp/sts/v1/token</c>: the Security Token Service (workload identity federation token exchange).</summary>
    public const string GcpStsToken = "gcp.sts.token";

    /// <summary><c>POST /v1/projects/-/serviceAccounts/{email}:generateIdToken</c>: the IAM Credentials API.</summary>
    public const string GcpGenerateIdToken = "gcp.iam.generateIdToken";
}
