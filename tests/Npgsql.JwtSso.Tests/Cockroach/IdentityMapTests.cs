using Xunit;

namespace Npgsql.JwtSso.Tests.Cockroach;

public class IdentityMapTests
{
    [Fact]
    public void Parse_CommentsBlankLinesAndSpacing_KeepsThreeTokenRules()
    {
        var map = IdentityMap.Parse("# header\n\n  issuer1   alice   bob  # trailing comment\r\n\tissuer2 /^(.*)$ \\1\n");

        Assert.Equal(2, map.Rules.Count);
        Assert.Equal(("issuer1", "alice", "bob", 3), (map.Rules[0].MapName, map.Rules[0].SystemIdentity, map.Rules[0].DatabaseUsername, map.Rules[0].LineNumber));
        Assert.True(map.Rules[1].IsRegex);
        Assert.Equal(4, map.Rules[1].LineNumber);
    }

    [Theory]
    [InlineData("a b", "unable to parse line 1: \"a b\"")]
    [InlineData("ok x y\na b c d", "unable to parse line 2: \"a b c d\"")]
    [InlineData("iss x \"q\"\\ y", "unable to parse line 1: \"iss x \\\"q\\\"\\\\ y\"")]
    public void Parse_WrongTokenCount_ServerMessage(string configuration, string expected)
    {
        var e = Assert.Throws<FormatException>(() => IdentityMap.Parse(configuration));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Parse_DocsGcpExampleWithReversedRange_RejectedNamingTheLine()
    {
        var e = Assert.Throws<FormatException>(() => IdentityMap.Parse("https://accounts.google.com /^([9-0]*)$ gcp_\\1"));
        Assert.StartsWith("unable to parse line 1: error parsing regexp: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SubstitutionWithoutGroup_ServerMessage()
    {
        var e = Assert.Throws<FormatException>(() => IdentityMap.Parse("# c\niss /^abc$ x_\\1"));
        Assert.Equal("saw \\1 substitution on line 2, but pattern contains no subexpressions", e.Message);
    }

    [Fact]
    public void Parse_LiteralWithSubstitution_RejectedBecauseLiteralHasNoGroup()
    {
        Assert.Throws<FormatException>(() => IdentityMap.Parse("iss alice \\1"));
    }

    [Fact]
    public void TryParse_Invalid_ReturnsFalseWithError()
    {
        Assert.False(IdentityMap.TryParse("x", false, out var map, out var error));
        Assert.Null(map);
        Assert.Equal("unable to parse line 1: \"x\"", error);
    }

    [Fact]
    public void Map_DocsEmailRegex_SubstitutesGroupAndLowerCases()
    {
        var map = IdentityMap.Parse(@"https://accounts.google.com /^(.*)@cockroachlabs\.com$ \1");

        Assert.Equal(["carl"], map.Map("https://accounts.google.com", "Carl@cockroachlabs.com"));
        Assert.Empty(map.Map("https://accounts.google.com", "carl@example.com"));
    }

    [Fact]
    public void Map_DocsNumericLiteral_MapsOnlyExactWholeString()
    {
        var map = IdentityMap.Parse("https://accounts.google.com 1232316645658094244789 roach");

        Assert.Equal(["roach"], map.Map("https://accounts.google.com", "1232316645658094244789"));
        Assert.Empty(map.Map("https://accounts.google.com", "11232316645658094244789"));
        Assert.Empty(map.Map("https://accounts.google.com", "1232316645658094244789x"));
    }

    [Fact]
    public void Map_CorrectedGcpExample_PrefixesDigits()
    {
        var map = IdentityMap.Parse("https://accounts.google.com /^([0-9]*)$ gcp_\\1");
        Assert.Equal(["gcp_1234"], map.Map("https://accounts.google.com", "1234"));
    }

    [Fact]
    public void Map_RegexIsUnanchored_MatchesInside()
    {
        var map = IdentityMap.Parse("iss /(ob) user_\\1x\\1");

        Assert.Equal(["user_obx\\1"], map.Map("iss", "bobby"));
    }

    [Fact]
    public void Map_OnlyFirstSubstitutionReplaced()
    {
        var map = IdentityMap.Parse("iss /^(a+)b$ \\1_\\1");
        Assert.Equal(["aa_\\1"], map.Map("iss", "aab"));
    }

    [Fact]
    public void Map_MapNameIsCaseSensitiveIssuer()
    {
        var map = IdentityMap.Parse("https://Issuer alice bob");

        Assert.True(map.HasMap("https://Issuer"));
        Assert.False(map.HasMap("https://issuer"));
        Assert.Empty(map.Map("https://issuer", "alice"));
    }

    [Fact]
    public void Map_SeveralRules_DeduplicatedInRuleOrderOnTheSubstitutedText()
    {
        // The cluster de-duplicates before normalising: "BOB" is not "bob", so both survive (as "bob").
        var map = IdentityMap.Parse("iss alice bob\niss /^al(.*)$ \\1\niss /^alice$ BOB\niss alice bob\niss alice carol\nother alice zed");

        Assert.Equal(["bob", "ice", "bob", "carol"], map.Map("iss", "alice"));
    }

    [Fact]
    public void Map_CaseSensitiveByDefault_CaseInsensitiveFor26_1()
    {
        const string Config = "iss Alice bob\niss /^(.*)@EXAMPLE\\.com$ \\1";

        Assert.Empty(IdentityMap.Parse(Config).Map("iss", "alice"));
        var insensitive = IdentityMap.Parse(Config, ignoreCase: true);
        Assert.True(insensitive.IgnoreCase);
        Assert.Equal(["bob"], insensitive.Map("iss", "ALICE"));
        Assert.Equal(["carl"], insensitive.Map("iss", "Carl@example.com"));
    }

    [Fact]
    public void Map_EmptySubstitution_Skipped()
    {
        var map = IdentityMap.Parse("iss /^x(.*)$ \\1");
        Assert.Empty(map.Map("iss", "x"));
    }

    [Fact]
    public void Empty_HasNoMaps()
    {
        Assert.False(IdentityMap.Empty.HasMap(string.Empty));
        Assert.Empty(IdentityMap.Empty.Rules);
    }

    [Fact]
    public void SuggestLine_PlainPrincipal_LiteralLine()
    {
        Assert.Equal("issuer2 test2 test", IdentityMap.SuggestLine("issuer2", "test2", "Test"));
    }

    [Theory]
    [InlineData("a b", "iss /^a\\x20b$ u")]
    [InlineData("/path", "iss /^/path$ u")]
    [InlineData("x#1", "iss /^x\\x231$ u")]
    public void SuggestLine_PrincipalNotWritableAsLiteral_AnchoredRegexThatMatchesIt(string principal, string expected)
    {
        var line = IdentityMap.SuggestLine("iss", principal, "u");

        Assert.Equal(expected, line);
        Assert.Equal(["u"], IdentityMap.Parse(line!).Map("iss", principal));
    }

    [Fact]
    public void SuggestLine_RegexSpecialCharacters_EscapedAndRoundTrips()
    {
        const string Principal = "svc.a+b(c)@x.iam.gserviceaccount.com";
        var line = IdentityMap.SuggestLine("https://accounts.google.com", Principal, "svc")!;

        Assert.Equal(["svc"], IdentityMap.Parse(line).Map("https://accounts.google.com", Principal));
        Assert.Empty(IdentityMap.Parse(line).Map("https://accounts.google.com", "svcXa+b(c)@x.iam.gserviceaccount.com"));
    }

    [Theory]
    [InlineData("my issuer", "p", "u")]
    [InlineData("iss", "p", "a user")]
    [InlineData("", "p", "u")]
    public void SuggestLine_IssuerOrUserNotWritable_Null(string issuer, string principal, string user)
    {
        Assert.Null(IdentityMap.SuggestLine(issuer, principal, user));
    }
}
