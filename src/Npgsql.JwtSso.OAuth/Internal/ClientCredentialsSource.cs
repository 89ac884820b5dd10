using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.OAuth.Internal;

/// <summary>The OAuth client-credentials source to the dependency-injection path: <c>"Provider": "ClientCredentials"</c>, <see cref="ClientCredentialsTokenSourceOptions"/>.</summary>
internal sealed class ClientCredentialsSource() : JwtTokenSourceDescriptor<ClientCredentialsTokenSourceOptions>("ClientCredentials")
{
    public static readonly ClientCredentialsSource Instance = new();

    protected override void Bind(IConfiguration configuration, ClientCredentialsTokenSourceOptions options)
        => ClientCredentialsBinding.Bind(configuration, options);

    protected override IEnumerable<string> Validate(ClientCredentialsTokenSourceOptions options)
        => ClientCredentialsGrant.Problems(options, GenericPreset.Instance);

    protected override JwtTokenSource Create(ClientCredentialsTokenSourceOptions options, JwtTokenSourceContext context)
        => new ClientCredentialsTokenSource(options, context.HttpClient, context.TimeProvider);
}
