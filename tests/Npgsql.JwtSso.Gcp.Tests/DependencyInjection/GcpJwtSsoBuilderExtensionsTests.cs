using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.Tests.Shared;
using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests.DependencyInjection;

/// <summary>The DI registration contract for the Google Cloud source.</summary>
public sealed class GcpSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "Gcp";

    protected override Type SourceType => typeof(GcpTokenSource);

    protected override string RequiredKey => "Audience";

    protected override string DistinguishingKey => "Audience";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["Audience"] = "crdb", ["UseMetadataServer"] = "true" };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<GcpTokenSourceOptions>>().Get(instance).Audience;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddGcp(o => (o.Audience, o.UseMetadataServer) = (distinguishing, true));

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddGcp(_ => { });

    protected override void RegisterForConfiguration(IServiceCollection services) => services.AddJwtSsoTokenSource(GcpTokenSource.Descriptor);
}

public class GcpJwtSsoBuilderExtensionsTests
{
    [Fact]
    public async Task Source_GcpInConfigurationWithoutRegistration_FailsNamingTheRegistrationMethod()
    {
        await using var services = Build(new() { ["JwtSso:Source"] = "Gcp", ["JwtSso:Gcp:Audience"] = "crdb-prod" }, (s, c) => s.AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'JwtSso:Source' is 'Gcp', which is not a registered token source", ex.Message, StringComparison.Ordinal);
        Assert.Contains("services.AddJwtSsoTokenSource(GcpTokenSource.Descriptor)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_UseMetadataServerWithCredentialFile_FailsValidationNamingBoth()
    {
        await using var services = Build(
            new() { ["JwtSso:Source"] = "Gcp", ["JwtSso:Gcp:Audience"] = "crdb-prod", ["JwtSso:Gcp:UseMetadataServer"] = "true", ["JwtSso:Gcp:CredentialFile"] = "/etc/gcp/key.json" },
            (s, c) => s.AddJwtSsoTokenSource(GcpTokenSource.Descriptor).AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("UseMetadataServer cannot be combined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGcp_EmptySection_ThrowsNamingTheSection()
    {
        var configuration = new ConfigurationBuilder().Build();

        var ex = Assert.Throws<JwtSsoException>(() => new ServiceCollection().AddNpgsqlJwtSso().AddTokenSource(GcpTokenSource.Descriptor, configuration.GetSection("Google")));

        Assert.Contains("'Google'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGcp_AfterAnotherSource_FailsNamingBoth()
    {
        var builder = new ServiceCollection().AddNpgsqlJwtSso("orders").AddTokenFile("/var/run/token");

        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddGcp(o => o.Audience = "crdb"));

        Assert.Contains("'File'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Gcp'", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services, configuration);
        return services.BuildServiceProvider();
    }
}
