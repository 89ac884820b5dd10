namespace Npgsql.JwtSso.Testing;

/// <summary>
/// A local OIDC issuer on 127.0.0.1 for tests and demos: signing keys, discovery, JWKS, a mint API, and the
/// vendor-shaped token endpoints the real SDKs call (GCP, Microsoft Entra, Okta, GitHub Actions), with fault injection.
/// </summary>
public sealed partial class LocalJwtIssuer
{
    // Placeholder: the issuer is being built (testing-kit issue).
    private LocalJwtIssuer()
    {
    }
}
