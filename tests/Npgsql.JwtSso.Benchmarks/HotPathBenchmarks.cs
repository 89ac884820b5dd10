using System.Buffers.Text;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Memory;

namespace Npgsql.JwtSso.Benchmarks;

/// <summary>
/// The per-open cost of the password callback with a cached token, in the exact delegate shapes Npgsql calls,
/// next to a plain field read (the floor), an <see cref="IMemoryCache"/> lookup (the store the architecture sketch
/// names) and calling a <see cref="JwtTokenSource"/> directly (no cache: parse per open).
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string MemoryCacheKey = "jwtsso:bench";
    private static readonly NpgsqlConnectionStringBuilder Settings = new("Host=localhost;Username=bot");

    private string _password = null!;
    private JwtTokenCache _cache = null!;
    private MemoryCache _memoryCache = null!;
    private JwtTokenSource _source = null!;
    private Func<NpgsqlConnectionStringBuilder, CancellationToken, ValueTask<string>> _passwordProviderAsync = null!;
    private Func<NpgsqlConnectionStringBuilder, string> _passwordProvider = null!;

    [GlobalSetup]
    public void Setup()
    {
        var jwt = MintJwt(TimeSpan.FromHours(1));
        _source = new ParsingTokenSource(jwt);
        _cache = new JwtTokenCache(_source);
        var token = _cache.GetToken();
        _password = token.Value;
        _memoryCache = new MemoryCache(new MemoryCacheOptions());
        _memoryCache.Set(MemoryCacheKey, token, token.ExpiresOn!.Value - TimeSpan.FromSeconds(60));
        var cache = _cache;
        _passwordProviderAsync = (settings, ct) => cache.TryGetToken(out var t) ? new ValueTask<string>(t.Value) : SlowAsync(cache, ct);
        _passwordProvider = settings => cache.TryGetToken(out var t) ? t.Value : cache.GetToken().Value;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _memoryCache.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Field read (floor)")]
    public string FieldRead() => _password;

    [Benchmark(Description = "Clock read alone (TimeProvider.System.GetTimestamp)")]
    public long ClockRead() => TimeProvider.System.GetTimestamp();

    [Benchmark(Description = "IMemoryCache.TryGetValue")]
    public string? MemoryCacheTryGetValue() => _memoryCache.TryGetValue(MemoryCacheKey, out JwtToken? token) ? token!.Value : null;

    [Benchmark(Description = "JwtTokenCache.TryGetToken")]
    public string? CacheTryGetToken() => _cache.TryGetToken(out var token) ? token.Value : null;

    [Benchmark(Description = "Password callback, async shape")]
    public string PasswordProviderAsync() => _passwordProviderAsync(Settings, CancellationToken.None).Result;

    [Benchmark(Description = "Password callback, sync shape")]
    public string PasswordProvider() => _passwordProvider(Settings);

    [Benchmark(Description = "JwtTokenSource called directly (no cache)")]
    public string SourceDirect() => _source.GetTokenAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult().Value;

    private static async ValueTask<string> SlowAsync(JwtTokenCache cache, CancellationToken cancellationToken)
        => (await cache.GetTokenAsync(cancellationToken).ConfigureAwait(false)).Value;

    private static string MintJwt(TimeSpan lifetime)
    {
        static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var exp = TimeProvider.System.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return $"{Encode("{\"alg\":\"RS256\",\"kid\":\"bench\",\"typ\":\"JWT\"}")}.{Encode($"{{\"iss\":\"https://issuer.example\",\"sub\":\"bot\",\"aud\":\"crdb\",\"exp\":{exp}}}")}.{Encode("signature")}";
    }

    /// <summary>The cheapest honest source: the token text is at hand (a static string or a mounted file), parsed per call.</summary>
    private sealed class ParsingTokenSource(string jwt) : JwtTokenSource
    {
        public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken) => new(JwtToken.Parse(jwt));
    }
}
