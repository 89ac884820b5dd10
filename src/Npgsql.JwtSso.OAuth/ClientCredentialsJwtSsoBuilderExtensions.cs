using Npgsql.JwtSso.OAuth;

namespace Npgsql.JwtSso;

/// <summary>
/// Chooses OAuth 2.0 client-credentials tokens from any OIDC identity provider for a JWT single sign-on instance
/// registered with <c>AddNpgsqlJwtSso</c>.
/// Calling it again for the same instance adds to its options (the settings apply in order); choosing another source
/// for it fails. To bind from configuration or with access to the application's services, pass <see cref="ClientCredentialsTokenSource.Descriptor"/>
/// to the <c>AddTokenSource</c> overloads, or to <c>services.AddJwtSsoTokenSource</c> so that <c>"Source": "ClientCredentials"</c> can choose it.
/// </summary>
public static class ClientCredentialsJwtSsoBuilderExtensions
{
    /// <summary>Uses OAuth 2.0 client-credentials tokens, configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The instance already uses another token source.</exception>
    public static IJwtSsoBuilder AddClientCredentials(this IJwtSsoBuilder builder, Action<ClientCredentialsTokenSourceOptions> configure) => builder.AddTokenSource(ClientCredentialsTokenSource.Descriptor, configure);
}
