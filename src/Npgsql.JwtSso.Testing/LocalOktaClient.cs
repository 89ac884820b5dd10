using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.Testing;

/// <summary>An app registered in the emulated Okta org (<see cref="LocalOktaOrg.AddClient(LocalOktaClient)"/>).</summary>
public sealed class LocalOktaClient
{
    /// <summary>Gets or sets the client id (Okta's look like <c>0oa…</c>); it becomes the tokens' <c>sub</c> and <c>cid</c>.</summary>
    public required string ClientId { get; set; }

    /// <summary>Gets or sets the client secret, for <c>client_secret_basic</c> and <c>client_secret_post</c>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the client authentication method the app is configured for: <c>client_secret_basic</c>, <c>client_secret_post</c> or <c>private_key_jwt</c>.</summary>
    /// <value>The default value is <c>client_secret_basic</c>.</value>
    public string AuthenticationMethod { get; set; } = "client_secret_basic";

    /// <summary>Gets or sets the public key registered for <c>private_key_jwt</c>; client assertions are verified against it.</summary>
    public SecurityKey? PublicKey { get; set; }

    /// <summary>Gets the grant types the app may use.</summary>
    /// <value>The default value is <c>client_credentials</c>.</value>
    public IList<string> GrantTypes { get; } = ["client_credentials"];

    /// <summary>Gets or sets the scopes an access-policy rule grants this app, or <see langword="null"/> for every scope of the server.</summary>
    public IReadOnlyCollection<string>? AllowedScopes { get; set; }

    /// <summary>Gets or sets a value indicating whether an access policy of the server applies to this app at all.</summary>
    /// <value>The default value is <see langword="true"/>; <see langword="false"/> gives <c>access_denied</c>.</value>
    public bool HasAccessPolicy { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the app requires DPoP (requests without a DPoP proof get <c>invalid_dpop_proof</c>).</summary>
    public bool RequireDpop { get; set; }
}
