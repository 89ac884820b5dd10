using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public sealed class DefaultInstanceAndBindingTests
{
    private const string MapLine1 = "https://accounts.google.com 1234567890 order_bot";
    private const string MapLine2 = "https://login.example.com /^(.*)@example\\.com$ \\1";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void GetService_DefaultInstance_CacheResolvesUnkeyedAsTheSameObject()
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        collection.AddNpgsqlJwtSso().AddTokenSource(new CountingTokenSource(_time));
        using var services = collection.BuildServiceProvider();

        var unkeyed = services.GetRequiredService<JwtTokenCache>();

        Assert.Same(services.GetRequiredKeyedService<JwtTokenCache>(Options.DefaultName), unkeyed);
    }

    [Fact]
    public void GetService_OnlyNamedInstances_NoUnkeyedCache()
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        collection.AddNpgsqlJwtSso("orders").AddTokenSource(new CountingTokenSource(_time));
        using var services = collection.BuildServiceProvider();

        Assert.Null(services.GetService<JwtTokenCache>());
        Assert.NotNull(services.GetKeyedService<JwtTokenCache>("orders"));
    }

    [Fact]
    public void GetService_DefaultInstanceRegisteredTwice_OneUnkeyedRegistration()
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        collection.AddNpgsqlJwtSso().AddTokenSource(new CountingTokenSource(_time));
        collection.AddNpgsqlJwtSso().ConfigureCache(o => o.RefreshAt = 0.6);

        Assert.Single(collection, d => d.ServiceType == typeof(JwtTokenCache) && !d.IsKeyedService);
    }

    [Fact]
    public void Options_IdentityMapAsJsonArray_JoinedAsLines()
    {
        var options = Bind(new()
        {
            ["JwtSso:IdentityMap:0"] = MapLine1,
            ["JwtSso:IdentityMap:1"] = MapLine2,
            ["JwtSso:RefreshAt"] = "0.6",
        });

        Assert.Equal($"{MapLine1}\n{MapLine2}", options.Connection.IdentityMap);
        Assert.Equal(0.6, options.Cache.RefreshAt);
    }

    [Fact]
    public void Options_IdentityMapArrayFromJsonFile_JoinedInOrder()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 12).Select(i => $"https://issuer{i}.example.com user{i} sql_user_{i}").ToArray();
        dir.Write("appsettings.json", $$"""{ "JwtSso": { "IdentityMap": [{{string.Join(", ", lines.Select(l => $"\"{l}\""))}}] } }""");
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(dir.Path, "appsettings.json")).Build();

        var options = Resolve(config);

        Assert.Equal(string.Join('\n', lines), options.Connection.IdentityMap);
    }

    [Fact]
    public void Options_IdentityMapAsString_KeptAsIs()
    {
        var options = Bind(new() { ["JwtSso:IdentityMap"] = $"{MapLine1}\n{MapLine2}" });

        Assert.Equal($"{MapLine1}\n{MapLine2}", options.Connection.IdentityMap);
    }

    [Fact]
    public void Options_IdentityMapNestedObject_FailsNamingTheKey()
    {
        var ex = Assert.Throws<JwtSsoException>(() => Bind(new() { ["JwtSso:IdentityMap:0:Issuer"] = "https://accounts.google.com" }));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:IdentityMap:0'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("multiple public parameterized constructors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_SectionForAScalarSetting_FailsNamingTheKey()
    {
        var ex = Assert.Throws<JwtSsoException>(() => Bind(new() { ["JwtSso:PrincipalClaim:0"] = "email" }));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains("'JwtSso:PrincipalClaim'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AcquireTimeout", "50.00:00:00")]
    [InlineData("SourceTimeout", "60.00:00:00")]
    [InlineData("AcquireTimeout", "-00:00:00.0010000")]
    public void Options_TimeoutOutOfRange_FailsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<JwtSsoException>(() => Bind(new() { [$"JwtSso:{key}"] = value }));

        Assert.Equal(JwtSsoErrorKind.Configuration, ex.Kind);
        Assert.Contains($"'JwtSso:{key}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"JwtTokenCacheOptions.{key}", ex.Message, StringComparison.Ordinal);
    }

    private (JwtTokenCacheOptions Cache, JwtSsoConnectionOptions Connection) Bind(Dictionary<string, string?> settings)
        => Resolve(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private (JwtTokenCacheOptions Cache, JwtSsoConnectionOptions Connection) Resolve(IConfiguration config)
    {
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        collection.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(new CountingTokenSource(_time));
        using var services = collection.BuildServiceProvider();
        return (services.GetRequiredService<IOptionsMonitor<JwtTokenCacheOptions>>().Get(Options.DefaultName),
            services.GetRequiredService<IOptionsMonitor<JwtSsoConnectionOptions>>().Get(Options.DefaultName));
    }
}
