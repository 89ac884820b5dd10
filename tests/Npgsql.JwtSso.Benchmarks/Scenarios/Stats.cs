namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>Ratio of summed open times with a paired bootstrap over cycles (anchor-figures.md §4.1).</summary>
public static class Stats
{
    public static (double Ratio, double Low, double High) RatioWithCi(IReadOnlyList<double> baseline, IReadOnlyList<double> variant, int resamples = 2000, int seed = 42)
    {
        var ratio = baseline.Sum() / variant.Sum();
        var random = new Random(seed);
        var n = baseline.Count;
        var samples = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            double a = 0, b = 0;
            for (var i = 0; i < n; i++)
            {
                var k = random.Next(n);
                a += baseline[k];
                b += variant[k];
            }

            samples[r] = a / b;
        }

        Array.Sort(samples);
        return (ratio, samples[(int)(0.025 * resamples)], samples[(int)(0.975 * resamples) - 1]);
    }

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }
}
