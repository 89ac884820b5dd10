using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Npgsql.JwtSso.Tests.Cockroach.Internal.Re2;

/// <summary>
/// Differential test: every corpus case goes through <see cref="IdentityMap"/> and through Go's own regexp (the
/// engine CockroachDB uses) evaluating the map as the cluster does; parse errors (full message) and mapped users
/// must be identical. The oracle's names are NFC-normalised here (Go's standard library has no normaliser).
/// </summary>
public class Re2DifferentialTests(ITestOutputHelper output)
{
    [GoOracleFact]
    public void IdentityMap_AgreesWithGoRegexp_OnTheWholeCorpus()
    {
        var cases = Re2Corpus.Build();
        var oracle = GoOracle.Run(cases);
        Assert.Equal(cases.Count, oracle.Count);

        var disagreements = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var ours = Evaluate(cases[i]);
            var theirs = Describe(oracle[i]);
            if (ours != theirs)
            {
                disagreements.Add($"{cases[i].Label}{(cases[i].IgnoreCase ? " (ignore case)" : string.Empty)}\n    ours: {ours}\n    go:   {theirs}");
            }
        }

        output.WriteLine($"corpus: {cases.Count} cases ({cases.Sum(c => c.Principals.Count)} principal evaluations), {oracle.Count(o => o.Rewritten)} with (?<n> rewritten for Go 1.19; disagreements: {disagreements.Count}");
        Assert.True(cases.Count >= 300, $"the corpus has only {cases.Count} cases");
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {cases.Count} cases disagree with Go:\n" + string.Join("\n", disagreements.Take(40)));
    }

    private static string Evaluate(MapCase c)
    {
        if (!IdentityMap.TryParse(c.Config, c.IgnoreCase, out var map, out var error))
        {
            return "error " + error;
        }

        return string.Join(" | ", c.Principals.Select(p => "[" + string.Join(",", map.Map(c.Issuer, p)) + "]"));
    }

    private static string Describe(OracleResult r) => r.Error is { } e
        ? "error " + e
        : string.Join(" | ", (r.Names ?? []).Select(n => "[" + string.Join(",", n.Select(x => x.Normalize(NormalizationForm.FormC))) + "]"));
}
