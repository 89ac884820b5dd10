using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests.DependencyInjection;

public class GcpJwtSsoBuilderExtensionsTests
{
    [Fact]
    public async Task Provider_GcpInConfiguration_FoundByConventionWithItsAudience()
    {
        await using var services = Build(new() { ["JwtSso:Provider"] = "Gcp", ["JwtSso:Gcp:Audience"] = "crdb-prod" }, (s, c) => s.AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var source = Assert.IsType<GcpTokenSource>(services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal("crdb-prod", source.Audience);
    }

    [Fact]
    public async Task AddGcp_MisspeltKeyInSection_FailsNamingSectionAndKey()
    {
        await using var services = Build(new() { ["Google:Audiance"] = "crdb-prod" }, (s, c) => s.AddNpgsqlJwtSso().AddGcp(c.GetSection("Google")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'Google'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Audiance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_UseMetadataServerKey_BoundFromConfiguration()
    {
        await using var services = Build(
            new() { ["JwtSso:Provider"] = "Gcp", ["JwtSso:Gcp:Audience"] = "crdb-prod", ["JwtSso:Gcp:UseMetadataServer"] = "true", ["JwtSso:Gcp:CredentialFile"] = "/etc/gcp/key.json" },
            (s, c) => s.AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("UseMetadataServer cannot be combined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGcp_NamedInstances_KeepTheirOwnOptions()
    {
        await using var services = Build([], (s, _) =>
        {
            s.AddNpgsqlJwtSso("orders").AddGcp(o => o.Audience = "crdb-orders");
            s.AddNpgsqlJwtSso("billing").AddGcp((o, sp) => o.Audience = "crdb-billing");
        });

        Assert.Equal("crdb-orders", ((GcpTokenSource)services.GetRequiredKeyedService<JwtTokenSource>("orders")).Audience);
        Assert.Equal("crdb-billing", ((GcpTokenSource)services.GetRequiredKeyedService<JwtTokenSource>("billing")).Audience);
    }

    [Fact]
    public void AddGcp_EmptySection_ThrowsNamingTheSection()
    {
        var configuration = new ConfigurationBuilder().Build();

        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddNpgsqlJwtSso().AddGcp(configuration.GetSection("Google")));

        Assert.Contains("'Google'", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services, configuration);
        return services.BuildServiceProvider();
    }
}
