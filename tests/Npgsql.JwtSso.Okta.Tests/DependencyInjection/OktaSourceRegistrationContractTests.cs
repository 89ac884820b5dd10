using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.Okta.Tests.DependencyInjection;

/// <summary>The DI registration contract for the Okta source.</summary>
public sealed class OktaSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "Okta";

    protected override Type SourceType => typeof(OktaTokenSource);

    protected override string RequiredKey => "ClientId";

    protected override string DistinguishingKey => "ClientId";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["Domain"] = "dev-123456.okta.com",
        ["AuthorizationServerId"] = "default",
        ["ClientId"] = "0oa-bot",
        ["ClientSecret"] = "not-a-real-secret",
        ["Scopes:0"] = "crdb.login",
    };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance)
        => services.GetRequiredService<IOptionsMonitor<OktaTokenSourceOptions>>().Get(instance).ClientId;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddOkta(o =>
    {
        (o.Domain, o.AuthorizationServerId, o.ClientId, o.ClientSecret) = ("dev-123456.okta.com", "default", distinguishing, "not-a-real-secret");
        o.Scopes.Add("crdb.login");
    });

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddOkta(_ => { });

    protected override void RegisterForConfiguration(IServiceCollection services) => services.AddJwtSsoTokenSource(OktaTokenSource.Descriptor);
}
