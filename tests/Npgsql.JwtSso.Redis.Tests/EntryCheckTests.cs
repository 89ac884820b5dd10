using Microsoft.AspNetCore.DataProtection;
using Npgsql.JwtSso.Redis.Tests.Infrastructure;
using Npgsql.JwtSso.Redis.Internal;
using StackExchange.Redis;
using Xunit;

namespace Npgsql.JwtSso.Redis.Tests;

/// <summary>An entry read from Redis is checked before use; a bad one is dropped and counted, never returned.</summary>
[Collection(RedisCollection.Name)]
public sealed class EntryCheckTests(RedisServerFixture redis)
{
    public static TheoryData<string, string> BadEntries => new()
    {
        { "garbage", "format" },
        { "other-key-ring", "decrypt" },
        { "not-a-jwt", "parse" },
        { "expired", "expired" },
        { "wrong-issuer", "identity" },
        { "wrong-audience", "identity" },
        { "unencrypted", "format" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task BadEntry_IsDroppedCountedAndNeverReturned(string kind, string reason)
    {
        var clock = new TestClock();
        await using var bed = new Bed(redis.Server);
        using var capture = new Capture();
        var source = new CountingSource(clock, "idp-" + kind);
        var instance = bed.Decorate(source, clock, logs: capture);
        var db = await bed.DatabaseAsync();
        var bad = await BadEntryAsync(kind, bed, clock, db, instance);
        await db.StringSetAsync(instance.Key.Token, bad);

        var token = await instance.GetTokenAsync(CancellationToken.None);

        Assert.Equal(1, source.Calls);
        Assert.Equal(Jwts.Issuer, token.Issuer);
        Assert.Contains(Jwts.Audience, token.Audiences);
        Assert.Equal(1, capture.Sum("jwtsso.redis.entries.rejected", source.Name, "jwtsso.reason", reason));
        Assert.NotEqual(bad, (byte[])(await db.StringGetAsync(instance.Key.Token))!); // replaced by the fresh token
    }

    private static Task<byte[]> BadEntryAsync(string kind, Bed bed, TestClock clock, IDatabase db, RedisTokenCacheSource instance)
    {
        _ = db;
        var now = clock.GetUtcNow();
        var protector = bed.DataProtection.CreateProtector(RedisTokenCacheSource.DataProtectionPurpose, instance.Key.Hash);
        var codec = new TokenEntryCodec(protector);
        return Task.FromResult(kind switch
        {
            "garbage" => "not an entry"u8.ToArray(),
            "other-key-ring" => new TokenEntryCodec(new EphemeralDataProtectionProvider().CreateProtector(RedisTokenCacheSource.DataProtectionPurpose, instance.Key.Hash)).Encode(Jwts.Mint(now, TimeSpan.FromHours(1)), now),
            "not-a-jwt" => [(byte)'E', .. protector.Protect("{\"t\":\"opaque\",\"f\":1}"u8.ToArray())],
            "expired" => codec.Encode(Jwts.Mint(now - TimeSpan.FromHours(1), TimeSpan.FromHours(1)), now - TimeSpan.FromHours(1)),
            "wrong-issuer" => codec.Encode(Jwts.Mint(now, TimeSpan.FromHours(1), issuer: "https://evil.example"), now),
            "wrong-audience" => codec.Encode(Jwts.Mint(now, TimeSpan.FromHours(1), audience: "other"), now),
            "unencrypted" => new TokenEntryCodec(null).Encode(Jwts.Mint(now, TimeSpan.FromHours(1)), now),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        });
    }
}
