using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso;

/// <summary>
/// Creates a token source from configuration, for <c>"JwtSso": { "Provider": "&lt;name&gt;", "&lt;name&gt;": { … } }</c>.
/// The provider packages (Npgsql.JwtSso.Gcp, .Azure, .Okta) ship one each; register your own with
/// <see cref="JwtSsoServiceCollectionExtensions.AddJwtSsoProvider{TProvider}"/>.
/// </summary>
public interface IJwtSsoProvider
{
    /// <summary>Gets the provider name used in configuration (compared case-insensitively), for example <c>Gcp</c>.</summary>
    string Name { get; }

    /// <summary>Creates the token source from the provider's configuration section.</summary>
    /// <param name="section">The provider's section (<c>JwtSso:&lt;Name&gt;</c>); unknown keys must be rejected.</param>
    /// <param name="services">The application's services (time provider, logging, HTTP clients).</param>
    /// <returns>The token source.</returns>
    JwtTokenSource Create(IConfigurationSection section, IServiceProvider services);
}
