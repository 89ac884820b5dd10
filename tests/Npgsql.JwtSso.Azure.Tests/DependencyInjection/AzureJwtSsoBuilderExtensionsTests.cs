using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests.DependencyInjection;

public class AzureJwtSsoBuilderExtensionsTests
{
    [Fact]
    public async Task Provider_AzureInConfiguration_FoundByConventionWithItsScope()
    {
        await using var services = Build(new() { ["JwtSso:Provider"] = "Azure", ["JwtSso:Azure:Scope"] = "api://crdb-prod/.default" }, (s, c) => s.AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var source = Assert.IsType<AzureTokenSource>(services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal("api://crdb-prod/.default", source.Scope);
    }

    [Fact]
    public async Task AddAzure_MisspeltKeyInSection_FailsNamingSectionAndKey()
    {
        await using var services = Build(new() { ["Entra:Scpe"] = "api://crdb-prod/.default" }, (s, c) => s.AddNpgsqlJwtSso().AddAzure(c.GetSection("Entra")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'Entra'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Scpe", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAzure_NamedInstances_KeepTheirOwnOptions()
    {
        await using var services = Build([], (s, _) =>
        {
            s.AddNpgsqlJwtSso("orders").AddAzure(o => o.Scope = "api://crdb-orders/.default");
            s.AddNpgsqlJwtSso("billing").AddAzure((o, sp) => o.Scope = "api://crdb-billing/.default");
        });

        Assert.Equal("api://crdb-orders/.default", ((AzureTokenSource)services.GetRequiredKeyedService<JwtTokenSource>("orders")).Scope);
        Assert.Equal("api://crdb-billing/.default", ((AzureTokenSource)services.GetRequiredKeyedService<JwtTokenSource>("billing")).Scope);
    }

    [Fact]
    public void AddAzure_EmptySection_ThrowsNamingTheSection()
    {
        var configuration = new ConfigurationBuilder().Build();

        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddNpgsqlJwtSso().AddAzure(configuration.GetSection("Entra")));

        Assert.Contains("'Entra'", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services, configuration);
        return services.BuildServiceProvider();
    }
}
