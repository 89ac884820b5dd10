using Google.Apis.Auth.OAuth2;
using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests;

public sealed class GcpTokenSourceOptionsTests
{
    [Fact]
    public void Ctor_Defaults_AreDocumentedValues()
    {
        var options = new GcpTokenSourceOptions();

        Assert.True(options.IncludeEmail);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MinimumTokenLifetime);
        Assert.Empty(options.Delegates);
        Assert.Null(options.IamCredentialsEndpoint);
        Assert.False(options.UseMetadataServer);
    }

    [Fact]
    public void Ctor_ValidOptions_ExposesAudienceAndName()
    {
        var source = new GcpTokenSource(new GcpTokenSourceOptions { Audience = "crdb-prod" });

        Assert.Equal("crdb-prod", source.Audience);
        Assert.Equal("gcp", source.Name);
    }

    [Fact]
    public void Ctor_NullOptions_Throws()
        => Assert.Throws<ArgumentNullException>(() => new GcpTokenSource(null!));

    [Fact]
    public void Ctor_UseMetadataServerWithExplicitCredential_NamesBoth()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new GcpTokenSource(new GcpTokenSourceOptions
        {
            Audience = "crdb-prod",
            UseMetadataServer = true,
            CredentialFile = "/etc/gcp/key.json",
        }));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("UseMetadataServer cannot be combined with Credential, CredentialJson or CredentialFile", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_MissingAudience_NamesSettingAndClusterSetting()
    {
        var ex = Assert.Throws<JwtSsoException>(() => new GcpTokenSource(new GcpTokenSourceOptions()));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Equal("gcp", ex.SourceName);
        Assert.Contains("Audience is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("server.jwt_authentication.audience", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_SeveralProblems_ListsAllAtOnce()
    {
        var options = new GcpTokenSourceOptions
        {
            Audience = "a&b",
            CredentialJson = "{}",
            CredentialFile = "/tmp/key.json",
            ImpersonateServiceAccount = "not an email",
            MinimumTokenLifetime = TimeSpan.FromHours(1),
            IamCredentialsEndpoint = new Uri("ftp://example.com"),
        };

        var ex = Assert.Throws<JwtSsoException>(() => new GcpTokenSource(options));

        Assert.Contains("Audience 'a&b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most one", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ImpersonateServiceAccount 'not an email'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumTokenLifetime", ex.Message, StringComparison.Ordinal);
        Assert.Contains("IamCredentialsEndpoint", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://crdb.example.com/a b")]
    [InlineData("aud#fragment")]
    [InlineData("100%25")]
    [InlineData("a+b")]
    public void Ctor_AudienceTheMetadataServerWouldMisread_IsRejected(string audience)
    {
        var ex = Assert.Throws<JwtSsoException>(() => new GcpTokenSource(new GcpTokenSourceOptions { Audience = audience }));

        Assert.Contains("Audience", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_DelegatesWithoutImpersonation_IsRejected()
    {
        var options = new GcpTokenSourceOptions { Audience = "crdb" };
        options.Delegates.Add("hop@p.iam.gserviceaccount.com");

        var ex = Assert.Throws<JwtSsoException>(() => new GcpTokenSource(options));

        Assert.Contains("Delegates is only used with ImpersonateServiceAccount", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_CredentialAndJson_IsRejected()
    {
        var options = new GcpTokenSourceOptions
        {
            Audience = "crdb",
            Credential = GoogleCredential.FromAccessToken("ya29.test"),
            CredentialJson = "{}",
        };

        var ex = Assert.Throws<JwtSsoException>(() => new GcpTokenSource(options));

        Assert.Contains("Credential, CredentialJson and CredentialFile are alternatives", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ya29.test", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_NumericImpersonationTargetAndDelegates_AreAccepted()
    {
        var options = new GcpTokenSourceOptions { Audience = "crdb", ImpersonateServiceAccount = "1234567890" };
        options.Delegates.Add("hop@p.iam.gserviceaccount.com");

        Assert.Equal("crdb", new GcpTokenSource(options).Audience);
    }
}
