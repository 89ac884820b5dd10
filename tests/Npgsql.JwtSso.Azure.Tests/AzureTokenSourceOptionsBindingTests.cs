using System.Text;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Npgsql.JwtSso.Azure.Tests;

/// <summary>The declarative options bind from configuration (appsettings.json), strictly, and build the described credential.</summary>
public sealed class AzureTokenSourceOptionsBindingTests
{
    [Fact]
    public void Bind_JsonSection_FillsEveryDeclarativeOption()
    {
        var section = Section("""
            {
              "Azure": {
                "Scope": "api://11111111-2222-3333-4444-555555555555/.default",
                "CredentialKind": "ClientSecret",
                "TenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "ClientId": "0e1c2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6",
                "ClientSecret": "from-a-secret-store",
                "AuthorityHost": "https://login.microsoftonline.us",
                "DisableInstanceDiscovery": true,
                "CredentialProcessTimeout": "00:00:20",
                "ExpectedAudiences": [ "api://11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555" ],
                "ExpectedIssuers": [ "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/" ]
              }
            }
            """);
        var options = new AzureTokenSourceOptions();

        section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        var source = new AzureTokenSource(options);

        Assert.Equal(AzureCredentialKind.ClientSecret, options.CredentialKind);
        Assert.Equal(new Uri("https://login.microsoftonline.us"), options.AuthorityHost);
        Assert.True(options.DisableInstanceDiscovery);
        Assert.Equal(TimeSpan.FromSeconds(20), options.CredentialProcessTimeout);
        Assert.Equal(2, options.ExpectedAudiences.Count);
        Assert.Single(options.ExpectedIssuers);
        Assert.IsType<ClientSecretCredential>(source.Credential);
    }

    [Fact]
    public void Bind_MisspelledKey_RejectedByStrictBinding()
    {
        var section = Section("""{ "Azure": { "Scope": "api://x/.default", "ClientSecretValue": "oops" } }""");

        var ex = Assert.Throws<InvalidOperationException>(() => section.Bind(new AzureTokenSourceOptions(), o => o.ErrorOnUnknownConfiguration = true));

        Assert.Contains("ClientSecretValue", ex.Message, StringComparison.Ordinal);
    }

    private static IConfigurationSection Section(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build().GetSection("Azure");
}
