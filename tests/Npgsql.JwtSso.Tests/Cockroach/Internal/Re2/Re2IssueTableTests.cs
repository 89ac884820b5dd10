using Xunit;

namespace Npgsql.JwtSso.Tests.Cockroach.Internal.Re2;

/// <summary>The rows of issue 14's table: each failed with the .NET-Regex implementation and holds with the RE2 one.</summary>
public class Re2IssueTableTests
{
    [Theory]
    [InlineData("iss /^(?<u>[a-z]+)_([0-9]+)$ \\1", "bob_42", "bob")]
    [InlineData("iss /^(?P<u>[a-z]+)_([0-9]+)$ \\1", "bob_42", "bob")]
    [InlineData("iss /([[:alpha:]]+) \\1", "alice@x", "alice")]
    [InlineData("iss /(\\pL+) \\1", "jörg!", "jörg")]
    [InlineData("iss /^\\Qa.b\\E(.)$ \\1", "a.bc", "c")]
    [InlineData("iss /^(.) x\\1", "😀x", "x😀")]
    [InlineData("iss /(.*) \\1", "İpek", "ipek")]
    [InlineData("iss /(.*) \\1", "bılge", "bilge")]
    public void Map_IssueRow_AsTheCluster(string configuration, string principal, string expected)
    {
        Assert.Equal([expected], IdentityMap.Parse(configuration).Map("iss", principal));
    }

    [Theory]
    [InlineData("iss /^(\\w+)$ \\1", "jörg")]
    [InlineData("iss /^(\\d+)$ \\1", "\u0663\u0664")]
    [InlineData("iss /^(.*)$ \\1", "alice\n")]
    public void Map_AsciiClassesAndEndOfText_NoMatch(string configuration, string principal)
    {
        Assert.Empty(IdentityMap.Parse(configuration).Map("iss", principal));
    }

    [Fact]
    public void Map_PathologicalRule_ReturnsWithoutTimeout()
    {
        var map = IdentityMap.Parse("iss /^(a+)+$ \\1");

        Assert.Empty(map.Map("iss", new string('a', 41) + "!"));
    }

    [Theory]
    [InlineData("iss\v/^a$ u")]
    [InlineData("iss\u00a0/^a$ u")]
    [InlineData("iss\u3000/^a$ u")]
    [InlineData("iss\u2028/^a$ u")]
    public void Parse_NonAsciiSeparator_Refused(string configuration)
    {
        var e = Assert.Throws<FormatException>(() => IdentityMap.Parse(configuration));
        Assert.StartsWith("unable to parse line 1: \"iss", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iss /a** u", "unable to parse line 1: error parsing regexp: invalid nested repetition operator: `**`")]
    [InlineData("iss /* u", "unable to parse line 1: error parsing regexp: missing argument to repetition operator: `*`")]
    [InlineData("iss /(a)\\1 u", "unable to parse line 1: error parsing regexp: invalid escape sequence: `\\1`")]
    [InlineData("iss /(?=a) u", "unable to parse line 1: error parsing regexp: invalid or unsupported Perl syntax: `(?=`")]
    [InlineData("iss /a{1001} u", "unable to parse line 1: error parsing regexp: invalid repeat count: `{1001}`")]
    [InlineData("iss /(a u", "unable to parse line 1: error parsing regexp: missing closing ): `(a`")]
    public void Parse_Re2Refusal_GoMessage(string configuration, string expected)
    {
        var e = Assert.Throws<FormatException>(() => IdentityMap.Parse(configuration));
        Assert.Equal(expected, e.Message);
    }
}
