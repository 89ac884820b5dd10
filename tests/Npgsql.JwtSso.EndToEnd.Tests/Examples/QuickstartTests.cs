using Npgsql.JwtSso.Examples.Quickstart;
using Xunit;

namespace Npgsql.JwtSso.EndToEnd.Tests.Examples;

public class QuickstartTests
{
    [Fact]
    public async Task RunAsync_LocalDemo_LogsInRefreshesInTheBackgroundAndNeverFails()
    {
        using var output = new StringWriter();

        var exitCode = await QuickstartApp.RunAsync(
            ["--seconds", "9", "--interval-seconds", "1", "--token-lifetime-seconds", "6"],
            output,
            CancellationToken.None);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("SQL user 'bot' derived from the token's subject", text, StringComparison.Ordinal);
        Assert.Contains(", 0 failed,", text, StringComparison.Ordinal);
        Assert.Contains("background refresh: new token", text, StringComparison.Ordinal);
        Assert.Contains("0 rejected JWT logins", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnknownArgument_PrintsUsageAndExits2()
    {
        using var output = new StringWriter();

        var exitCode = await QuickstartApp.RunAsync(["oops"], output, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage:", output.ToString(), StringComparison.Ordinal);
    }
}
