using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.Gcp.Internal;

/// <summary>The Google Cloud source to the dependency-injection path: <c>"Provider": "Gcp"</c>, <see cref="GcpTokenSourceOptions"/>.</summary>
internal sealed class GcpSource() : JwtTokenSourceDescriptor<GcpTokenSourceOptions>("Gcp")
{
    public static readonly GcpSource Instance = new();

    protected override void Bind(IConfiguration configuration, GcpTokenSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected override IEnumerable<string> Validate(GcpTokenSourceOptions options) => GcpOptionsValidator.Validate(options);

    protected override JwtTokenSource Create(GcpTokenSourceOptions options, JwtTokenSourceContext context)
        => new GcpTokenSource(options, context.TimeProvider);
}
