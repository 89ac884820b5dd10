using Npgsql.JwtSso.Benchmarks.Scenarios;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.EndToEnd.Tests.LeakScan;

/// <summary>
/// Runs every performance scenario (small counts) with Trace logging into the library, the issuer and the emulator,
/// an in-process capture of every Activity and metric measurement, and first-chance exception capture; then searches
/// all of it for any token or token fragment handled in the run.
/// </summary>
public sealed class LeakScanTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scenarios_AllCapturedTelemetry_ContainsNoTokenOrFragment()
    {
        using var capture = new TelemetryCapture();
        await using var postgres = new TestPostgres();
        await postgres.StartAsync();
        using var tables = new StringWriter();
        var context = new ScenarioContext { Postgres = postgres, Quick = true, LoggerFactory = capture.LoggerFactory, Out = tables };

        await ScenarioRunner.RunAsync(context, ScenarioRunner.All);

        foreach (var e in context.Exceptions)
        {
            capture.Add("caught: " + e);
        }

        capture.Add(tables.ToString());
        var text = capture.Text;
        output.WriteLine($"scanned {text.Length:N0} characters: {capture.LogCount:N0} log records, {capture.ActivityCount:N0} activities, {capture.MeasurementCount:N0} measurements, {capture.ExceptionCount:N0} exceptions; {context.Secrets.Count:N0} tokens/secrets");
        Assert.True(context.Secrets.Count > 20, $"only {context.Secrets.Count} tokens/secrets recorded: the scan would prove little");
        Assert.True(capture.LogCount > 100, $"only {capture.LogCount} log records captured");
        Assert.True(capture.ActivityCount > 0, "no Activity captured");
        Assert.True(capture.MeasurementCount > 0, "no metric measurement captured");
        Assert.True(capture.ExceptionCount > 0, "no exception captured (the outage scenario throws by design)");
        Assert.Empty(LeakFinder.Find(text, context.Secrets.Keys));
    }

    [Fact]
    public void Find_PlantedSignatureFragment_Reported()
    {
        const string token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZy1lbm91Z2gtdG8tc2xpY2U";
        var text = "log: Debug fetched token ... " + token.Split('.')[2][5..21] + " ... done";

        var findings = LeakFinder.Find(text, [token]);

        var finding = Assert.Single(findings);
        Assert.Contains("signature", finding, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2][5..21], finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_PlantedPayloadOrSecret_Reported()
    {
        const string token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";

        Assert.Single(LeakFinder.Find("x eyJzdWIiOiJib2IifQ y", [token]));
        Assert.Single(LeakFinder.Find("secret=hunter2-long-secret", ["hunter2-long-secret"]));
        Assert.Empty(LeakFinder.Find("nothing to see here, fingerprint sha256:ab12", [token, "hunter2-long-secret"]));
    }
}
