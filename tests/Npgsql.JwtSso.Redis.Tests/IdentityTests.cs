using Microsoft.AspNetCore.DataProtection;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using Xunit;

namespace Npgsql.JwtSso.Redis.Tests;

/// <summary>Two identities never share an entry: the key comes from the source's identity, never from the token.</summary>
[Collection(RedisCollection.Name)]
public sealed class IdentityTests(RedisServerFixture redis)
{
    public static TheoryData<string> IdentityParts => ["audience", "issuer", "client", "scope", "endpoint", "partition", "name", "type"];

    [Theory]
    [MemberData(nameof(IdentityParts))]
    public async Task DifferentIdentity_NeverSharesAnEntry(string part)
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var audience = part == "audience" ? "other-audience" : Jwts.Audience;
        var issuer = part == "issuer" ? "https://other-issuer.example" : Jwts.Issuer;
        var sourceA = new CountingSource(clock, "idp");
        JwtTokenSource sourceB = part switch
        {
            "name" => new CountingSource(clock, "idp-2"),
            "type" => new OtherTypeSource(new CountingSource(clock, "idp")),
            _ => new CountingSource(clock, "idp", issuer: issuer, audience: audience),
        };
        var a = bed.Decorate(sourceA, clock);
        var b = bed.Decorate(sourceB, clock, o =>
        {
            o.Audience = audience;
            o.Issuer = issuer;
            o.ClientId = part == "client" ? "client-2" : null;
            o.Scope = part == "scope" ? "scope-2" : null;
            o.Endpoint = part == "endpoint" ? "https://idp-2.example/token" : null;
            o.PartitionName = part == "partition" ? "eu" : null;
        });

        var tokenA = await a.GetTokenAsync(CancellationToken.None);
        var tokenB = await b.GetTokenAsync(CancellationToken.None);

        Assert.NotEqual(a.Key.Token, b.Key.Token);
        Assert.NotEqual(tokenA.Value, tokenB.Value);
        Assert.Equal(1, sourceA.Calls);
        Assert.Equal(1, CallsOf(sourceB));
    }

    [Fact]
    public async Task SameIdentity_SharesTheEntry()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        var sourceA = new CountingSource(clock, "idp");
        var sourceB = new CountingSource(clock, "idp");
        var a = bed.Decorate(sourceA, clock, o => o.ClientId = "c1");
        var b = bed.Decorate(sourceB, clock, o => o.ClientId = "c1");

        var tokenA = await a.GetTokenAsync(CancellationToken.None);
        var tokenB = await b.GetTokenAsync(CancellationToken.None);

        Assert.Equal(a.Key.Token, b.Key.Token);
        Assert.Equal(tokenA.Value, tokenB.Value);
        Assert.Equal(0, sourceB.Calls);
    }

    [Fact]
    public async Task EntryCopiedUnderAnotherIdentitysKey_DoesNotDecrypt_IsDroppedAndCounted()
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        using var capture = new Capture();
        var a = bed.Decorate(new CountingSource(clock, "idp-a"), clock);
        var sourceB = new CountingSource(clock, "idp-b");
        var b = bed.Decorate(sourceB, clock, logs: capture);
        await a.GetTokenAsync(CancellationToken.None);
        var db = await bed.DatabaseAsync();
        await db.StringSetAsync(b.Key.Token, await db.StringGetAsync(a.Key.Token));

        await b.GetTokenAsync(CancellationToken.None);

        Assert.Equal(1, sourceB.Calls);
        Assert.Equal(1, capture.Sum("jwtsso.redis.entries.rejected", "idp-b", "jwtsso.reason", "decrypt"));
    }

    [Fact]
    public void Key_IsAHashOfTheIdentity_NotOfTheToken()
    {
        var clock = new TestClock();
        var source = new CountingSource(clock, "idp");
        var key = Internal.CacheKey.Create(source, new RedisTokenCacheOptions { Issuer = Jwts.Issuer, Audience = Jwts.Audience, KeyPrefix = "p:" });
        var again = Internal.CacheKey.Create(source, new RedisTokenCacheOptions { Issuer = Jwts.Issuer, Audience = Jwts.Audience, KeyPrefix = "p:" });

        Assert.Equal(key.Token, again.Token);
        Assert.Matches("^p:token:\\{[0-9a-f]{64}\\}$", key.Token.ToString());
        Assert.DoesNotContain(Jwts.Audience, key.Token.ToString(), StringComparison.Ordinal);
    }

    private static int CallsOf(JwtTokenSource source) => source switch
    {
        CountingSource c => c.Calls,
        OtherTypeSource o => o.Inner.Calls,
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>A different source type with the same name and tokens.</summary>
    private sealed class OtherTypeSource(CountingSource inner) : JwtTokenSource
    {
        public CountingSource Inner => inner;

        public override string Name => inner.Name;

        public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken) => inner.GetTokenAsync(cancellationToken);
    }
}
