namespace Npgsql.JwtSso.Testing;

/// <content>The Okta org emulated by the issuer.</content>
public sealed partial class LocalJwtIssuer
{
    /// <summary>
    /// Gets the emulated Okta org: custom authorization servers at <c>/oauth2/{id}</c> (one named <c>default</c>, audience
    /// <c>api://default</c>, scope <c>crdb.login</c>, exists from the start), registered clients, and the shared rate-limit bucket.
    /// </summary>
    public LocalOktaOrg Okta { get; } = new();
}
