using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.OAuth;
using Xunit;

namespace Npgsql.JwtSso.Okta.Tests.DependencyInjection;

public class OktaJwtSsoBuilderExtensionsTests
{
    [Fact]
    public async Task Source_OktaInConfiguration_WhenRegistered_CreatesItWithItsIssuer()
    {
        await using var services = Build(
            new()
            {
                ["JwtSso:Source"] = "Okta",
                ["JwtSso:Okta:Domain"] = "dev-123456.okta.com",
                ["JwtSso:Okta:AuthorizationServerId"] = "default",
                ["JwtSso:Okta:ClientId"] = "0oa-bot",
                ["JwtSso:Okta:ClientSecret"] = "not-a-real-secret",
                ["JwtSso:Okta:Scopes:0"] = "crdb.login",
            },
            (s, c) => s.AddJwtSsoTokenSource(OktaTokenSource.Descriptor).AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var source = Assert.IsType<OktaTokenSource>(services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal("https://dev-123456.okta.com/oauth2/default", source.Issuer.AbsoluteUri.TrimEnd('/'));
    }

    [Fact]
    public async Task Source_ClientCredentialsInConfiguration_WhenRegistered_CreatesItWithItsEndpoint()
    {
        await using var services = Build(
            new()
            {
                ["JwtSso:Source"] = "ClientCredentials",
                ["JwtSso:ClientCredentials:TokenEndpoint"] = "https://idp.example.com/oauth2/token",
                ["JwtSso:ClientCredentials:ClientId"] = "bot",
                ["JwtSso:ClientCredentials:ClientSecret"] = "not-a-real-secret",
            },
            (s, c) => s.AddJwtSsoTokenSource(ClientCredentialsTokenSource.Descriptor).AddNpgsqlJwtSso(c.GetSection("JwtSso")));

        var source = Assert.IsType<ClientCredentialsTokenSource>(services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(new Uri("https://idp.example.com/oauth2/token"), source.TokenEndpoint);
    }

    [Fact]
    public async Task AddOkta_MisspeltKeyInSection_FailsNamingSectionAndKey()
    {
        await using var services = Build(new() { ["Okta:Domian"] = "dev-123456.okta.com" }, (s, c) => s.AddNpgsqlJwtSso().AddTokenSource(OktaTokenSource.Descriptor, c.GetSection("Okta")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'Okta'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Domian", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOkta_MisspeltKey_NamesOktaTokenSourceOptions()
    {
        await using var services = Build(new() { ["Okta:Domain"] = "dev-123456.okta.com", ["Okta:AuthServerId"] = "default" }, (s, c) => s.AddNpgsqlJwtSso().AddTokenSource(OktaTokenSource.Descriptor, c.GetSection("Okta")));

        var ex = Assert.Throws<JwtSsoException>(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Contains("'AuthServerId'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(OktaTokenSourceOptions).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".Internal.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOkta_CertificateKey_FailsNamingIt_CertificateInCodeKeptWithTheOktaKeys()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=client", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var okta = new Dictionary<string, string?>
        {
            ["Okta:Domain"] = "dev-123456.okta.com",
            ["Okta:AuthorizationServerId"] = "default",
            ["Okta:ClientId"] = "0oa-bot",
            ["Okta:AuthenticationMethod"] = "PrivateKeyJwt",
            ["Okta:Scopes:0"] = "crdb.login",
        };
        await using var inCode = Build(okta, (s, c) =>
        {
            s.Configure<OktaTokenSourceOptions>(string.Empty, o => o.UseCertificate(certificate));
            s.AddNpgsqlJwtSso().AddTokenSource(OktaTokenSource.Descriptor, c.GetSection("Okta"));
        });
        await using var inConfiguration = Build(new(okta) { ["Okta:Certificate"] = "MIIBszCCAVmgAwIBAgIU" }, (s, c) => s.AddNpgsqlJwtSso().AddTokenSource(OktaTokenSource.Descriptor, c.GetSection("Okta")));

        // PrivateKeyJwt with no key in configuration: the source is created only if binding kept the certificate set in code.
        var source = Assert.IsType<OktaTokenSource>(inCode.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
        var ex = Assert.Throws<JwtSsoException>(() => inConfiguration.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.Equal("https://dev-123456.okta.com/oauth2/default", source.Issuer.AbsoluteUri.TrimEnd('/'));
        Assert.Contains("'Okta:Certificate'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIBszCCAVmgAwIBAgIU", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOkta_EveryGenericKey_BindsTheSameValuesAsAddClientCredentials()
    {
        // One declaration of each client-credentials setting: the Okta options are the generic ones plus Domain and
        // AuthorizationServerId, so every generic key binds the same way under "Okta" as under "ClientCredentials".
        var generic = new Dictionary<string, string?>
        {
            ["Issuer"] = "https://dev-123456.okta.com/oauth2/default",
            ["TokenEndpoint"] = "https://dev-123456.okta.com/oauth2/default/v1/token",
            ["ClientId"] = "0oa-bot",
            ["ClientSecret"] = "not-a-real-secret",
            ["AuthenticationMethod"] = "ClientSecretPost",
            ["Scopes:0"] = "crdb.login",
            ["Audience"] = "api://default",
            ["Resources:0"] = "https://crdb.example/",
            ["AdditionalParameters:organization"] = "org_1",
            ["PrivateKeyPem"] = "pem",
            ["PrivateKeyJwk"] = "jwk",
            ["PrivateKeyId"] = "kid-1",
            ["SigningAlgorithm"] = "ES256",
            ["AssertionLifetime"] = "00:02:00",
            ["AssertionAudience"] = "https://dev-123456.okta.com/oauth2/default/v1/token",
        };
        var settings = new Dictionary<string, string?>();
        foreach (var (key, value) in generic)
        {
            settings["Okta:" + key] = value;
            settings["Generic:" + key] = value;
        }

        await using var services = Build(settings, (s, c) =>
        {
            s.AddNpgsqlJwtSso("okta").AddTokenSource(OktaTokenSource.Descriptor, c.GetSection("Okta"));
            s.AddNpgsqlJwtSso("generic").AddTokenSource(ClientCredentialsTokenSource.Descriptor, c.GetSection("Generic"));
        });
        // Binding only: the start-up validation would (rightly) refuse this mix of secret and key settings.
        var okta = BindOnly<OktaTokenSourceOptions>(services, "okta");
        var plain = BindOnly<ClientCredentialsTokenSourceOptions>(services, "generic");

        var properties = typeof(ClientCredentialsTokenSourceOptions).GetProperties().ToList();
        Assert.All(properties, p => Assert.Contains(generic.Keys, k => k.Split(':')[0] == p.Name)); // a new setting needs a key above
        foreach (var property in properties)
        {
            var expected = property.GetValue(plain);
            Assert.NotNull(expected);
            Assert.Equal(Describe(expected), Describe(property.GetValue(okta)));
        }
    }

    private static string Describe(object? value) => value switch
    {
        IEnumerable<KeyValuePair<string, string>> pairs => string.Join(",", pairs.Select(p => p.Key + "=" + p.Value)),
        IEnumerable<string> items => string.Join(",", items),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> configure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        configure(services, configuration);
        return services.BuildServiceProvider();
    }

    private static T BindOnly<T>(IServiceProvider services, string name)
        where T : class, new()
    {
        var options = new T();
        foreach (var configure in services.GetServices<IConfigureOptions<T>>())
        {
            if (configure is IConfigureNamedOptions<T> named)
            {
                named.Configure(name, options);
            }
            else
            {
                configure.Configure(options);
            }
        }

        return options;
    }
}
