namespace Npgsql.JwtSso.Testing;

public sealed partial class LocalJwtIssuer
{
    private GcpFake? _gcp;

    /// <summary>Gets the fake Google Cloud identity services of this issuer (metadata server, OAuth token endpoint, IAM Credentials).</summary>
    public GcpFake Gcp => LazyInitializer.EnsureInitialized(ref _gcp, () => new GcpFake(this));
}
