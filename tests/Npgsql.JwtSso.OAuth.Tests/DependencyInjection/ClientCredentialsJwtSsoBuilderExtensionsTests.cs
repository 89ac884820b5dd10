using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Npgsql.JwtSso.OAuth.Tests.DependencyInjection;

public class ClientCredentialsJwtSsoBuilderExtensionsTests
{
    [Fact]
    public async Task AddClientCredentials_NamedInstances_KeepTheirOwnOptions()
    {
        await using var services = Build([], (s, _) =>
        {
            s.AddNpgsqlJwtSso("orders").AddClientCredentials(o => Configure(o, "https://orders.example.com/token"));
            s.AddNpgsqlJwtSso("billing").AddTokenSource(ClientCredentialsTokenSource.Descriptor, (o, sp) => Configure(o, "https://billing.example.com/token"));
        });

        Assert.Equal("orders.example.com", ((ClientCredentialsTokenSource)services.GetRequiredKeyedService<JwtTokenSource>("orders")).TokenEndpoint!.Host);
        Assert.Equal("billing.example.com", ((ClientCredentialsTokenSource)services.GetRequiredKeyedService<JwtTokenSource>("billing")).TokenEndpoint!.Host);
    }

    [Fact]
    public async Task Source_ClientSecretInConfiguration_NeverInTheErrorMessage()
    {
        await using var services = Build(
            new() { ["Idp:ClientSecret"] = "s3cr3t-value", ["Idp:ClientIdd"] = "bot" },
            (s, c) => s.AddNpgsqlJwtSso().AddTokenSource(ClientCredentialsTokenSource.Descriptor, c.GetSection("Idp")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("ClientIdd", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", ex.ToString(), StringComparison.Ordinal);
    }

    private static void Configure(ClientCredentialsTokenSourceOptions options, string tokenEndpoint)
    {
        options.TokenEndpoint = new Uri(tokenEndpoint);
        options.ClientId = "bot";
        options.ClientSecret = "not-a-real-secret";
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services, configuration);
        return services.BuildServiceProvider();
    }
}
