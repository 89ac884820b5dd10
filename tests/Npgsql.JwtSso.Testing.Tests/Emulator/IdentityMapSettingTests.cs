namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>
/// <c>SET CLUSTER SETTING server.identity_map.configuration</c>: the emulator accepts what CockroachDB (Go's RE2) accepts
/// and refuses the rest with the cluster's message.
/// </summary>
public sealed class IdentityMapSettingTests
{
    private readonly CockroachJwtSettings _settings = new();

    [Theory]
    [InlineData("issuer1 /^(?P<u>[a-z]+)@x\\.com$ \\1")]
    [InlineData("issuer1 /^(?<u>[a-z]+)_([0-9]+)$ \\1")]
    [InlineData("issuer1 /^([[:alpha:]]+)$ \\1")]
    [InlineData("issuer1 /^(\\pL+)$ \\1")]
    [InlineData("issuer1 /^\\Qa.b\\E(.)$ \\1")]
    [InlineData("issuer1 /(?i)^(ALICE)$ \\1")]
    public void Set_Re2OnlySyntax_Accepted(string value)
    {
        _settings.Set("server.identity_map.configuration", value);

        Assert.Equal(value, _settings.IdentityMapConfiguration);
    }

    [Theory]
    [InlineData("issuer1 /(?=a)b x", "unable to parse line 1: error parsing regexp: invalid or unsupported Perl syntax: `(?=`")]
    [InlineData("issuer1 /(a)\\1 x", "unable to parse line 1: error parsing regexp: invalid escape sequence: `\\1`")]
    [InlineData("issuer1 /(?>a) x", "unable to parse line 1: error parsing regexp: invalid or unsupported Perl syntax: `(?>`")]
    [InlineData("issuer1 /a{1001} x", "unable to parse line 1: error parsing regexp: invalid repeat count: `{1001}`")]
    [InlineData("issuer1\u00a0/a x", "unable to parse line 1: \"issuer1\\u00a0/a x\"")]
    public void Set_RefusedByRe2_ClusterMessage(string value, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => _settings.Set("server.identity_map.configuration", value));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, _settings.IdentityMapConfiguration);
    }
}
