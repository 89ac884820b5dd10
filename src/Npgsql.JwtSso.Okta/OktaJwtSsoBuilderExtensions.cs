using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.Okta;
using Npgsql.JwtSso.Okta.Internal;

namespace Npgsql.JwtSso;

/// <summary>Chooses Okta service-app tokens (client credentials) for a JWT single sign-on instance registered with <c>AddNpgsqlJwtSso</c>.</summary>
public static class OktaJwtSsoBuilderExtensions
{
    /// <summary>Uses Okta service-app tokens (client credentials), configured in code.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddOkta(this IJwtSsoBuilder builder, Action<OktaTokenSourceOptions> configure)
        => OktaPreset.Kind.Configure(builder, configure);

    /// <summary>Uses Okta service-app tokens (client credentials), configured in code with access to the application's services.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the source options.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddOkta(this IJwtSsoBuilder builder, Action<OktaTokenSourceOptions, IServiceProvider> configure)
        => OktaPreset.Kind.Configure(builder, configure);

    /// <summary>Uses Okta service-app tokens (client credentials), bound strictly from <paramref name="section"/> (an unknown key fails when the host starts).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="section">The section whose keys are named like the properties of <see cref="OktaTokenSourceOptions"/>.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The section does not exist or is empty.</exception>
    public static IJwtSsoBuilder AddOkta(this IJwtSsoBuilder builder, IConfigurationSection section)
        => OktaPreset.Kind.Bind(builder, section);
}
