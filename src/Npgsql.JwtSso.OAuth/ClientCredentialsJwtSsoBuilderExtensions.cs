using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso;

/// <summary>Chooses OAuth 2.0 client-credentials tokens from any OIDC provider for a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c>.</summary>
public static class ClientCredentialsJwtSsoBuilderExtensions
{
    /// <summary>Uses OAuth 2.0 client-credentials tokens from any OIDC provider, configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddClientCredentials(this IJwtSsoBuilder builder, Action<ClientCredentialsTokenSourceOptions> configure)
        => GenericPreset.Kind.Configure(builder, configure);

    /// <summary>Uses OAuth 2.0 client-credentials tokens from any OIDC provider, configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddClientCredentials(this IJwtSsoBuilder builder, Action<ClientCredentialsTokenSourceOptions, IServiceProvider> configure)
        => GenericPreset.Kind.Configure(builder, configure);

    /// <summary>Uses OAuth 2.0 client-credentials tokens from any OIDC provider, bound strictly from <paramref name="section"/> (an unknown key fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="ClientCredentialsTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder AddClientCredentials(this IJwtSsoBuilder builder, IConfigurationSection section)
        => GenericPreset.Kind.Bind(builder, section);
}
