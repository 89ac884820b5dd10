using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.OAuth.Tests.DependencyInjection;

/// <summary>The DI registration contract for the generic OAuth client-credentials source.</summary>
public sealed class ClientCredentialsSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "ClientCredentials";

    protected override Type SourceType => typeof(ClientCredentialsTokenSource);

    protected override string RequiredKey => "ClientId";

    protected override string DistinguishingKey => "ClientId";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["TokenEndpoint"] = "https://idp.example.com/oauth2/token",
        ["ClientId"] = "bot",
        ["ClientSecret"] = "not-a-real-secret",
    };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance)
        => services.GetRequiredService<IOptionsMonitor<ClientCredentialsTokenSourceOptions>>().Get(instance).ClientId;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing)
        => builder.AddClientCredentials(o => (o.TokenEndpoint, o.ClientId, o.ClientSecret) = (new Uri("https://idp.example.com/oauth2/token"), distinguishing, "not-a-real-secret"));

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddClientCredentials(_ => { });

    protected override void RegisterForConfiguration(IServiceCollection services) => services.AddJwtSsoTokenSource(ClientCredentialsTokenSource.Descriptor);
}
