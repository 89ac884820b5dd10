using Npgsql.JwtSso.Internal;
using Npgsql.JwtSso.Tests.Shared;
using Xunit;

namespace Npgsql.JwtSso.Tests.Internal;

public sealed class SecretScrubberTests
{
    [Fact]
    public void Scrub_TextWithJwt_RedactsEveryPart()
    {
        var jwt = ContractJwt.Create();

        var result = SecretScrubber.Scrub($"failed: token={jwt} (cached)", 1000);

        Assert.Equal("failed: token=[redacted] (cached)", result);
    }

    [Fact]
    public void Scrub_HeaderAndPayloadOnly_Redacted()
    {
        var parts = ContractJwt.Create().Split('.');

        var result = SecretScrubber.Scrub($"partial {parts[0]}.{parts[1]} end", 1000);

        Assert.Equal("partial [redacted] end", result);
    }

    [Fact]
    public void Scrub_GivenSecret_Redacted()
        => Assert.Equal("auth [redacted] refused", SecretScrubber.Scrub("auth opaque-runtime-token refused", 1000, "opaque-runtime-token"));

    [Theory]
    [InlineData("could not reach metadata.google.internal or accounts.googleapis.com")]
    [InlineData("ERROR: (gcloud.auth.print-identity-token) version 1.2.3 is too old")]
    public void Scrub_OrdinaryDottedText_KeptAsIs(string text)
        => Assert.Equal(text, SecretScrubber.Scrub(text, 1000));

    [Fact]
    public void Scrub_LongText_TruncatedAfterRedaction()
    {
        var jwt = ContractJwt.Create();
        var text = new string('a', 10) + " " + jwt + " " + new string('b', 2000);

        var result = SecretScrubber.Scrub(text, 50);

        Assert.StartsWith("aaaaaaaaaa [redacted] bbb", result, StringComparison.Ordinal);
        Assert.EndsWith("more characters)", result, StringComparison.Ordinal);
        Assert.DoesNotContain(jwt.Split('.')[0][..10], result, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_MultiLine_CollapsedToOneLine()
        => Assert.Equal("line one line two", SecretScrubber.Scrub("line one\n\n  line two\r\n", 1000));

    [Fact]
    public void Scrub_LongRunWithoutDots_KeptAndTruncated()
    {
        var result = SecretScrubber.Scrub(new string('x', 50_000), 100);

        Assert.StartsWith(new string('x', 100), result, StringComparison.Ordinal);
        Assert.EndsWith("(49900 more characters)", result, StringComparison.Ordinal);
    }
}
