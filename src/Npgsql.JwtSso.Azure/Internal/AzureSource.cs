using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.Azure.Internal;

/// <summary>The Microsoft Entra source to the dependency-injection path: <c>"Provider": "Azure"</c>, <see cref="AzureTokenSourceOptions"/>.</summary>
internal sealed class AzureSource() : JwtTokenSourceDescriptor<AzureTokenSourceOptions>("Azure")
{
    public static readonly AzureSource Instance = new();

    protected override void Bind(IConfiguration configuration, AzureTokenSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected override IEnumerable<string> Validate(AzureTokenSourceOptions options) => AzureTokenSourceOptionsValidator.Validate(options);

    protected override JwtTokenSource Create(AzureTokenSourceOptions options, JwtTokenSourceContext context)
        => new AzureTokenSource(options, context.LoggerFactory, context.TimeProvider);
}
