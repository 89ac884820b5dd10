using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>Writes the doctor's findings for a person (text) or a script (<c>--json</c>). Never the token text.</summary>
internal static class DoctorReport
{
    public static void WriteText(TextWriter writer, JwtToken? token, string? claim, IReadOnlyList<DoctorFinding> findings)
    {
        if (token is not null)
        {
            writer.WriteLine("Token (decoded; signature not shown):");
            writer.WriteLine($"  header   alg={token.Algorithm ?? "-"} kid={token.KeyId ?? "-"} typ={token.Type ?? "-"}");
            writer.WriteLine($"  iss      {token.Issuer ?? "-"}");
            writer.WriteLine($"  sub      {token.Subject ?? "-"}");
            writer.WriteLine($"  aud      {DoctorTokenChecks.GoList(token.Audiences)}");
            writer.WriteLine($"  exp/nbf/iat  {Time(token.ExpiresOn)} / {Time(token.NotBefore)} / {Time(token.IssuedAt)}");
            if (claim is not null && claim != "sub" && token.GetPrincipals(claim) is { } principals)
            {
                writer.WriteLine($"  {claim,-8} {DoctorTokenChecks.GoList(principals)}");
            }

            writer.WriteLine($"  fingerprint {token.Fingerprint}");
            writer.WriteLine();
        }

        writer.WriteLine("Checks:");
        foreach (var finding in findings)
        {
            writer.WriteLine($"  {Label(finding.Status),-7} {finding.Check,-12} {finding.Message}");
            if (finding.Fix is not null && finding.Status is DoctorStatus.Problem or DoctorStatus.Warning)
            {
                writer.WriteLine($"  {string.Empty,-7} {"fix:",-12} {finding.Fix}");
            }
        }

        var problems = findings.Count(f => f.Status == DoctorStatus.Problem);
        writer.WriteLine();
        writer.WriteLine(problems == 0 ? "No problem found." : $"{problems} problem(s) found.");
    }

    public static void WriteJson(TextWriter writer, JwtToken? token, string? claim, IReadOnlyList<DoctorFinding> findings)
    {
        var checks = new JsonArray();
        foreach (var f in findings)
        {
            checks.Add(new JsonObject
            {
                ["check"] = f.Check,
                ["status"] = Label(f.Status).ToLowerInvariant(),
                ["message"] = f.Message,
                ["fix"] = f.Fix,
            });
        }

        JsonOutput.Write(writer, new JsonObject
        {
            ["ok"] = findings.All(f => f.Status != DoctorStatus.Problem),
            ["token"] = token is null ? null : JsonOutput.TokenFacts(token, claim),
            ["checks"] = checks,
        });
    }

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warning => "WARN",
        DoctorStatus.Problem => "PROBLEM",
        _ => "skip",
    };

    private static string Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
