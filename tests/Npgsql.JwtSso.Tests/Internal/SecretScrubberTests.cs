using Npgsql.JwtSso.Internal;
using Xunit;

namespace Npgsql.JwtSso.Tests.Internal;

public sealed class SecretScrubberTests
{
    [Fact]
    public void Scrub_TextWithJwt_RedactsEveryPart()
    {
        var jwt = TestJwt.Contract();

        var result = SecretScrubber.Scrub($"failed: token={jwt} (cached)", 1000);

        Assert.Equal("failed: token=[redacted] (cached)", result);
    }

    [Fact]
    public void Scrub_HeaderAndPayloadOnly_Redacted()
    {
        var parts = TestJwt.Contract().Split('.');

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
        var jwt = TestJwt.Contract();
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

    // Regression: only JWT-shaped text was recognised; these shapes reached messages and logs verbatim.
    // Each secret value below is made of parts that must all disappear (the key around it may stay).
    public static TheoryData<string, string> CredentialShapes => new()
    {
        { "google access token", "Using ya29.a0AfB_byC1xkEXAMPLEaccess-token_value0123456789 for the request" },
        { "google refresh token", "refresh_with 1//0gEXAMPLErefreshTOKENvalue-0123456789abc failed" },
        { "github installation token", "push with ghs_16C7e42F292c6912E7710c838347Ae178B4a failed" },
        { "github personal token", "token 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 is revoked" },
        { "github oauth token", "gho_16C7e42F292c6912E7710c838347Ae178B4a" },
        { "github user-to-server token", "ghu_16C7e42F292c6912E7710c838347Ae178B4a" },
        { "github fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU" },
        { "entra client secret", "secret was Abc8Q~dEfGhIjKlMnOpQrStUvWxYz0123456789ab, rejected" },
        { "form client secret", "POST body grant_type=client_credentials&client_secret=s3cr3t-Okta-Client-Secret-Value&scope=crdb" },
        { "json client secret", "{\"client_id\": \"0oa1\", \"client_secret\": \"s3cr3t Okta value with spaces\"}" },
        { "python repr secret", "{'client_secret': 'pyth0n-s3cr3t-value'}" },
        { "password assignment", "connecting with password=hunter2-db-password" },
        { "yaml password", "config: password: hunter2-yaml-password" },
        { "cli flag secret", "running okta-token --client-secret fl4g-s3cr3t-value --scope crdb" },
        { "bearer credential", "request failed: Bearer opaque.bearer-credential_value~x" },
        { "authorization header", "> GET /token\n> Authorization: Basic dXNlcjpwYXNzd29yZA==\n> Accept: */*" },
        { "okta api token", "Authorization header SSWS 00QCjAl4MlV-WPXM-ABCDEFGHIJKLMNOPQRSTUVWX0 refused" },
        { "access token assignment", "redirect?access_token=opaque-access-token-value-123&state=x" },
    };

    [Theory]
    [MemberData(nameof(CredentialShapes))]
    public void Scrub_CredentialShape_Redacted(string shape, string text)
    {
        var result = SecretScrubber.Scrub(text, 10_000);

        Assert.Contains(SecretScrubber.Redacted, result, StringComparison.Ordinal);
        foreach (var fragment in SecretFragments(text))
        {
            Assert.False(result.Contains(fragment, StringComparison.Ordinal), $"{shape}: '{fragment}' survived in: {result}");
        }
    }

    [Theory]
    [InlineData("password authentication failed for user \"order_bot\"")]
    [InlineData("ERROR: (gcloud.auth.print-identity-token) There was a problem refreshing your current auth tokens: invalid_grant")]
    [InlineData("token expired; run gcloud auth login")]
    [InlineData("the secret store is unreachable (connection refused)")]
    [InlineData("GET https://api.github.com/repos/o/r failed: 401 Bad credentials")]
    public void Scrub_OrdinaryDiagnostics_KeptAsIs(string text)
        => Assert.Equal(text, SecretScrubber.Scrub(text, 1000));

    [Fact]
    public void Scrub_AuthorizationHeader_KeepsOtherLines()
        => Assert.Equal(
            "> GET /token > Authorization: [redacted] > Accept: */*",
            SecretScrubber.Scrub("> GET /token\n> Authorization: Bearer abc.def-ghi\n> Accept: */*", 1000));

    // The parts of a sample that are secret: the runs of 8+ characters that are not ordinary words of the sample.
    internal static IEnumerable<string> SecretFragments(string text)
    {
        string[] known =
        [
            "ya29.a0AfB_byC1xkEXAMPLEaccess-token_value0123456789", "1//0gEXAMPLErefreshTOKENvalue-0123456789abc",
            "ghs_16C7e42F292c6912E7710c838347Ae178B4a", "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",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a", "ghu_16C7e42F292c6912E7710c838347Ae178B4a",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU",
            "Abc8Q~dEfGhIjKlMnOpQrStUvWxYz0123456789ab", "s3cr3t-Okta-Client-Secret-Value", "s3cr3t Okta value with spaces",
            "pyth0n-s3cr3t-value", "hunter2-db-password", "hunter2-yaml-password", "fl4g-s3cr3t-value",
            "opaque.bearer-credential_value~x", "dXNlcjpwYXNzd29yZA==", "00QCjAl4MlV-WPXM-ABCDEFGHIJKLMNOPQRSTUVWX0",
            "opaque-access-token-value-123",
        ];
        return known.Where(k => text.Contains(k, StringComparison.Ordinal)).SelectMany(k => k.Length <= 12 ? [k] : new[] { k, k[..12], k[^12..] });
    }
}
