using Microsoft.IdentityModel.Tokens;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>A validated, immutable copy of the options the token client runs with.</summary>
internal sealed record ClientCredentialsSettings(
    string SourceName,
    ProviderFlavor Flavor,
    Uri? Issuer,
    Uri? TokenEndpoint,
    string ClientId,
    string? ClientSecret,
    ClientAuthenticationMethod Method,
    IReadOnlyList<string> Scopes,
    string? Audience,
    IReadOnlyList<string> Resources,
    IReadOnlyList<KeyValuePair<string, string>> AdditionalParameters,
    SigningCredentials? SigningCredentials,
    TimeSpan AssertionLifetime,
    string? AssertionAudience);
