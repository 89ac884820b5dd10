using BenchmarkDotNet.Attributes;

namespace Npgsql.JwtSso.Benchmarks;

/// <summary>
/// The classic catastrophic-backtracking rule <c>/^(a+)+$</c> against n × <c>a</c> followed by <c>!</c>: a backtracking
/// engine needs about 2^n steps (41 a's took the old implementation past its 1-second timeout); the RE2 translation
/// runs with NonBacktracking, so time grows linearly with n.
/// </summary>
[MemoryDiagnoser]
public class IdentityMapBenchmarks
{
    private IdentityMap _map = null!;
    private string _principal = null!;

    [Params(41, 410, 4100)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _map = IdentityMap.Parse("iss /^(a+)+$ \\1");
        _principal = new string('a', Length) + "!";
    }

    [Benchmark]
    public int PathologicalRule() => _map.Map("iss", _principal).Count;
}
