using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta.Internal;

namespace Npgsql.JwtSso.Okta;

/// <summary>
/// Gets access tokens for an Okta service app (API Services) from a custom authorization server with the
/// client-credentials grant: the Okta preset of <see cref="ClientCredentialsTokenSource"/>.
/// </summary>
/// <remarks>
/// The token's <c>sub</c> is the app's client id (<c>0oa…</c>), so the cluster needs an identity-map line that maps it
/// to a SQL user, and its <c>aud</c> is the authorization server's audience (for example <c>api://default</c>). All custom
/// authorization servers of an org share one rate-limit bucket: HTTP 429 becomes a transient
/// <see cref="JwtSsoException"/> whose <see cref="JwtSsoException.RetryAfter"/> comes from <c>X-Rate-Limit-Reset</c>.
/// The name of the source is <c>okta</c>; <see cref="ClientCredentialsTokenSource.TokenEndpoint"/> is never <see langword="null"/>.
/// </remarks>
public sealed class OktaTokenSource : ClientCredentialsTokenSource
{
    /// <summary>Initializes a new instance of the <see cref="OktaTokenSource"/> class with a shared HTTP client and the system clock.</summary>
    /// <param name="options">The Okta options; validated and copied now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public OktaTokenSource(OktaTokenSourceOptions options)
        : base(options, null, null, OktaPreset.Instance)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OktaTokenSource"/> class.</summary>
    /// <param name="options">The Okta options; validated and copied now.</param>
    /// <param name="httpClient">The HTTP client to use; <see langword="null"/> for a shared one. It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid (<see cref="JwtSsoErrorKind.Configuration"/>); the message lists every problem.</exception>
    public OktaTokenSource(OktaTokenSourceOptions options, HttpClient? httpClient, TimeProvider? timeProvider)
        : base(options, httpClient, timeProvider, OktaPreset.Instance)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OktaTokenSource"/> class that sends its requests through a handler.</summary>
    /// <param name="options">The Okta options; validated and copied now.</param>
    /// <param name="handler">The HTTP message handler (for example a proxy-aware or test handler). It is not disposed by the source.</param>
    /// <param name="timeProvider">The clock for client-assertion times and rate-limit resets; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException">The options are invalid; the message lists every problem.</exception>
    public OktaTokenSource(OktaTokenSourceOptions options, HttpMessageHandler handler, TimeProvider? timeProvider)
        : base(options, ClientFor(handler), timeProvider, OktaPreset.Instance)
    {
    }

    /// <summary>Gets the custom authorization server's issuer, <c>https://{domain}/oauth2/{authorizationServerId}</c>: the cluster's trusted issuer.</summary>
    public Uri Issuer => Grant.Options.Issuer!;

    /// <summary>
    /// Gets the descriptor of the Okta source for the dependency-injection path: <c>"Source": "Okta"</c> with its settings in the
    /// <c>Okta</c> sub-section. Pass it to <c>services.AddJwtSsoTokenSource(…)</c> so that configuration can choose the
    /// source, or to <c>builder.AddTokenSource(…, section)</c> to bind an instance from a section of its own.
    /// </summary>
    public static new JwtTokenSourceDescriptor<OktaTokenSourceOptions> Descriptor { get; } = new(
        "Okta",
        (configuration, options) =>
        {
            OAuth.Internal.ClientCredentialsBinding.RefuseCertificate(configuration);
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        },
        options => OAuth.Internal.ClientCredentialsGrant.Problems(options, OktaPreset.Instance),
        (options, context) => new OktaTokenSource(options, context.HttpClient, context.TimeProvider));
}
