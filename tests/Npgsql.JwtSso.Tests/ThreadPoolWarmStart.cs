using System.Runtime.CompilerServices;

namespace Npgsql.JwtSso.Tests;

/// <summary>
/// Several tests block pool threads on purpose (sync opens, a thousand callers parked on one event), and xunit runs
/// test classes in parallel. On a 2-core machine the pool grows by about one thread a second, so a test could wait for a
/// thread, not for the code under test; enough threads up front keep every hang guard about the code.
/// </summary>
internal static class ThreadPoolWarmStart
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 256), Math.Max(io, 256));
    }
}
