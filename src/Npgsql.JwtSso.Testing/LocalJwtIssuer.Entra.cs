namespace Npgsql.JwtSso.Testing;

public sealed partial class LocalJwtIssuer
{
    /// <summary>
    /// Gets the fake Microsoft Entra tenant served at <c>POST {HttpsUri}{tenant}/oauth2/v2.0/token</c> (client secret,
    /// certificate and workload-identity assertions), <c>GET /metadata/identity/oauth2/token</c> (IMDS managed identity,
    /// header <c>Metadata: true</c>) and <c>GET /msi/token</c> (App Service managed identity, header <c>X-IDENTITY-HEADER</c>).
    /// </summary>
    public EntraDirectory Entra { get; } = new();
}
