using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Npgsql.JwtSso.Benchmarks.Fleet;
using Npgsql.JwtSso.Redis;
using Npgsql.JwtSso.Redis.Internal;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Benchmarks;

/// <summary>
/// The per-open lookup with the shared Redis cache on, next to the same lookup without it: the shared cache sits behind
/// the refresh engine (on the fetch path only), so an open still reads the engine's in-memory token and never touches
/// Redis. Both rows should be the same within noise.
/// </summary>
[MemoryDiagnoser]
public class SharedCacheHotPathBenchmarks
{
    private TestRedis _redis = null!;
    private IConnectionMultiplexer _connection = null!;
    private JwtTokenCache _plain = null!;
    private JwtTokenCache _shared = null!;

    [GlobalSetup]
    public void Setup()
    {
        _redis = new TestRedis();
        _redis.StartAsync().GetAwaiter().GetResult();
        _connection = RedisConnections.ConnectAsync(_redis.Configuration).GetAwaiter().GetResult();
        var issuer = new FleetIssuer(TimeProvider.System, TimeSpan.FromHours(1));
        _plain = new JwtTokenCache(issuer);
        _shared = new JwtTokenCache(new RedisTokenCacheSource(
            issuer,
            _connection,
            new RedisTokenCacheOptions { Issuer = FleetIssuer.Issuer, Audience = FleetIssuer.Audience },
            dataProtection: new EphemeralDataProtectionProvider()));
        _plain.GetToken();
        _shared.GetToken();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _shared.Dispose();
        _connection.Dispose();
        _redis.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "TryGetToken, no shared cache")]
    public bool Plain() => _plain.TryGetToken(out _);

    [Benchmark(Description = "TryGetToken, shared cache on Redis")]
    public bool Shared() => _shared.TryGetToken(out _);
}
