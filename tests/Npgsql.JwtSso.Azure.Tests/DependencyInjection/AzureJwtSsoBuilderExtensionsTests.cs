using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Tests.Shared;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests.DependencyInjection;

/// <summary>The DI registration contract for the Microsoft Entra source.</summary>
public sealed class AzureSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "Azure";

    protected override Type SourceType => typeof(AzureTokenSource);

    protected override string RequiredKey => "Scope";

    protected override string DistinguishingKey => "Scope";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["Scope"] = "api://crdb/.default" };

    protected override string Value(string label) => $"api://{label}/.default";

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<AzureTokenSourceOptions>>().Get(instance).Scope;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddAzure(o => o.Scope = distinguishing);

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddAzure(_ => { });

    protected override void RegisterForConfiguration(IServiceCollection services) => services.AddJwtSsoTokenSource(AzureTokenSource.Descriptor);
}

public class AzureJwtSsoBuilderExtensionsTests
{
    [Fact]
    public async Task AddAzure_TwiceForOneInstance_ComposesTheSettings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Entra:Scope"] = "api://crdb-prod/.default" }).Build();
        var services = new ServiceCollection();
        services.AddNpgsqlJwtSso().AddTokenSource(AzureTokenSource.Descriptor, configuration.GetSection("Entra")).AddAzure(o => o.ClientId = "00000000-0000-0000-0000-000000000001");
        await using var provider = services.BuildServiceProvider();

        var source = Assert.IsType<AzureTokenSource>(provider.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
        var options = provider.GetRequiredService<IOptionsMonitor<AzureTokenSourceOptions>>().Get(string.Empty);

        Assert.Equal("api://crdb-prod/.default", source.Scope);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.ClientId);
    }

    [Fact]
    public void AddAzure_EmptySection_ThrowsNamingTheSection()
    {
        var configuration = new ConfigurationBuilder().Build();

        var ex = Assert.Throws<JwtSsoException>(() => new ServiceCollection().AddNpgsqlJwtSso().AddTokenSource(AzureTokenSource.Descriptor, configuration.GetSection("Entra")));

        Assert.Contains("'Entra'", ex.Message, StringComparison.Ordinal);
    }
}
