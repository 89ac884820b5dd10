using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.Okta.Internal;

/// <summary>The Okta source to the dependency-injection path: <c>"Provider": "Okta"</c>, <see cref="OktaTokenSourceOptions"/>.</summary>
internal sealed class OktaSource() : JwtTokenSourceDescriptor<OktaTokenSourceOptions>("Okta")
{
    public static readonly OktaSource Instance = new();

    protected override void Bind(IConfiguration configuration, OktaTokenSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected override IEnumerable<string> Validate(OktaTokenSourceOptions options)
    {
        // The source checks its options when created (the preset derives its endpoints first).
        return [];
    }

    protected override JwtTokenSource Create(OktaTokenSourceOptions options, JwtTokenSourceContext context)
        => new OktaTokenSource(options, context.HttpClient, context.TimeProvider);
}
