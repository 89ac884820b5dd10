namespace Npgsql.JwtSso.EndToEnd.Tests.Infrastructure;

/// <summary>Which server the end-to-end tests talk to, decided once from the environment.</summary>
public static class EndToEndTarget
{
    /// <summary>
    /// An admin connection URL (<c>postgresql://root@host:26257/defaultdb?sslmode=verify-full&amp;sslrootcert=…</c>)
    /// of a real CockroachDB cluster; when set, the fixture targets it instead of the emulator.
    /// </summary>
    public const string CockroachUrlVariable = "JWTSSO_TEST_COCKROACH_URL";

    public static string? CockroachUrl => Environment.GetEnvironmentVariable(CockroachUrlVariable) is { Length: > 0 } url ? url : null;

    public static bool IsRealCluster => CockroachUrl is not null;
}

/// <summary>A test that needs the emulator (its counters, settings or fault switches): skipped against a real cluster.</summary>
public sealed class EmulatorFactAttribute : FactAttribute
{
    public EmulatorFactAttribute()
    {
        if (EndToEndTarget.IsRealCluster)
        {
            Skip = $"Emulator-only test: {EndToEndTarget.CockroachUrlVariable} points the run at a real CockroachDB cluster.";
        }
    }
}

/// <summary>A test that only means something against a real cluster: reported as skipped (never passed) without one.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public RealClusterFactAttribute()
    {
        if (!EndToEndTarget.IsRealCluster)
        {
            Skip = $"Real-cluster test: set {EndToEndTarget.CockroachUrlVariable} to an admin connection URL of a CockroachDB cluster to run it.";
        }
    }
}
