using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.EndToEnd.Tests.LeakScan;

/// <summary>
/// A helper program that fails and echoes credentials on standard error (its own access token, a client secret, the
/// HTTP request it made): none of them may reach the exception, its inner exceptions, logs, activities or metrics.
/// </summary>
public sealed class SourceErrorLeakScanTests : IDisposable
{
    // Credential shapes that are not JWTs: each must be scrubbed by shape, since the library never knew the value.
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["GOOGLE_ACCESS"] = "ya29.a0AfB_byC1xkLEAKSCANaccess-token_value0123456789",
        ["GOOGLE_REFRESH"] = "1//0gLEAKSCANrefreshTOKENvalue-0123456789abc",
        ["GITHUB_INSTALLATION"] = "ghs_LeakScan2F292c6912E7710c838347Ae178B4a",
        ["GITHUB_PERSONAL"] = "ghp_LeakScan4aXcaT4fNP0UcnZwJUVFk6LO0pINUx",
        ["GITHUB_FINE_GRAINED"] = "github_pat_11LEAKSCAN0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
        ["ENTRA_SECRET"] = "Lk58Q~LeakScanOpQrStUvWxYz0123456789abcd",
        ["OKTA_SECRET"] = "LeakScan-Okta-Client-Secret-Value-0123456789",
        ["JSON_SECRET"] = "LeakScan json secret with spaces",
        ["PASSWORD"] = "LeakScan-hunter2-password",
        ["FLAG_SECRET"] = "LeakScan-flag-secret-value",
        ["BEARER"] = "LeakScan.opaque-bearer_credential~value",
        ["BASIC"] = "TGVha1NjYW46YmFzaWMtcGFzc3dvcmQ=",
        ["OKTA_API"] = "00LeakScan4MlV-WPXM-ABCDEFGHIJKLMNOPQRST0",
    };

    // What a chatty helper prints on failure; the values come from the environment, never from the library.
    private const string Script = """
        echo "using $GOOGLE_ACCESS (refresh $GOOGLE_REFRESH)" >&2
        echo "git push with $GITHUB_INSTALLATION failed; fallback $GITHUB_PERSONAL / $GITHUB_FINE_GRAINED" >&2
        echo "POST /oauth2/v1/token grant_type=client_credentials&client_secret=$OKTA_SECRET&scope=crdb" >&2
        echo "{\"client_id\": \"0oa1\", \"client_secret\": \"$JSON_SECRET\", \"azure\": \"$ENTRA_SECRET\"}" >&2
        echo "db url postgres://bot@host/db?password=$PASSWORD" >&2
        echo "ran: helper --client-secret $FLAG_SECRET --scope crdb" >&2
        echo "> Authorization: Basic $BASIC" >&2
        echo "retry with Bearer $BEARER and SSWS $OKTA_API" >&2
        exit 3
        """;

    private readonly TelemetryCapture _capture = new();

    public void Dispose() => _capture.Dispose();

    [Theory]
    [InlineData(3)]
    [InlineData(0)] // exit 0 with nothing on standard output: standard error is quoted too
    public async Task CommandSource_FailureEchoingCredentials_LeaksNone(int exitCode)
    {
        var options = new CommandTokenSourceOptions { FileName = "/bin/sh", Arguments = { "-c", Script.Replace("exit 3", $"exit {exitCode}", StringComparison.Ordinal) } };
        foreach (var (name, value) in Secrets)
        {
            options.Environment[name] = value;
        }

        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var cache = new JwtTokenCache(new CommandTokenSource(options, time), null, time, _capture.LoggerFactory);

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => cache.GetTokenAsync().AsTask());
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            _capture.Add("caught: " + e);
        }

        Assert.Equal(JwtSsoErrorKind.SourceFailed, ex.Kind);
        Assert.Contains("[redacted]", ex.Message, StringComparison.Ordinal);
        Assert.Empty(LeakFinder.Find(_capture.Text, Secrets.Values));
    }
}
