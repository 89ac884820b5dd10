using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    [Fact]
    public async Task AddClientCredentials_CertificateInConfiguration_FailsNamingTheKeyAndTheAlternatives()
    {
        // A certificate is an object with a private key: it is set in code, never from a configuration string.
        await using var services = Build(
            new()
            {
                ["Idp:TokenEndpoint"] = "https://idp.example.com/token",
                ["Idp:ClientId"] = "bot",
                ["Idp:AuthenticationMethod"] = "PrivateKeyJwt",
                ["Idp:Certificate"] = "MIIBszCCAVmgAwIBAgIU",
            },
            (s, c) => s.AddNpgsqlJwtSso().AddTokenSource(ClientCredentialsTokenSource.Descriptor, c.GetSection("Idp")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'Idp:Certificate'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PrivateKeyPem", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIBszCCAVmgAwIBAgIU", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClientCredentials_CertificateInCodeAndSectionInConfiguration_KeepsBoth()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=client", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        await using var services = Build(
            new()
            {
                ["Idp:TokenEndpoint"] = "https://idp.example.com/token",
                ["Idp:ClientId"] = "bot",
                ["Idp:AuthenticationMethod"] = "PrivateKeyJwt",
                ["Idp:Scopes:0"] = "crdb.login",
            },
            (s, c) =>
            {
                // Code first, configuration after: binding the section must keep what code set.
                s.Configure<ClientCredentialsTokenSourceOptions>(string.Empty, o =>
                {
                    o.UseCertificate(certificate);
                    o.Scopes.Add("from.code");
                });
                s.AddNpgsqlJwtSso().AddTokenSource(ClientCredentialsTokenSource.Descriptor, c.GetSection("Idp"));
            });

        var options = services.GetRequiredService<IOptionsMonitor<ClientCredentialsTokenSourceOptions>>().Get(string.Empty);

        Assert.Same(certificate, options.Certificate());
        Assert.Equal("bot", options.ClientId);
        Assert.Equal(ClientAuthenticationMethod.PrivateKeyJwt, options.AuthenticationMethod);
        Assert.Equal(["from.code", "crdb.login"], options.Scopes);
    }

    [Fact]
    public async Task AddClientCredentials_MisspeltKey_NamesThePublicOptionsType()
    {
        await using var services = Build(new() { ["Idp:TokenEndPoint"] = "https://idp.example.com/token", ["Idp:Scope"] = "a" }, (s, c) => s.AddNpgsqlJwtSso().AddTokenSource(ClientCredentialsTokenSource.Descriptor, c.GetSection("Idp")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'Scope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(ClientCredentialsTokenSourceOptions), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".Internal.", ex.Message, StringComparison.Ordinal);
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
