using Microsoft.Extensions.Configuration;
using Npgsql.JwtSso.OAuth.Internal;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>The Okta source to the dependency-injection path: <c>"Provider": "Okta"</c>, <see cref="OktaTokenSourceOptions"/>.</summary>
internal sealed class OktaSource() : JwtTokenSourceDescriptor<OktaTokenSourceOptions>("Okta")
{
    public static readonly OktaSource Instance = new();

    protected override void Bind(IConfiguration configuration, OktaTokenSourceOptions options)
        => OktaSettings.Bind(configuration, options);

    protected override IEnumerable<string> Validate(OktaTokenSourceOptions options)
        => ClientCredentialsGrant.Problems(options, OktaPreset.Instance);

    protected override JwtTokenSource Create(OktaTokenSourceOptions options, JwtTokenSourceContext context)
        => new OktaTokenSource(options, context.HttpClient, context.TimeProvider);
}
