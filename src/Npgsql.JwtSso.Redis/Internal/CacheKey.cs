using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>
/// The Redis keys of one identity: a hash of the source's identity (never of the token). The hash sits in a hash tag
/// (<c>{…}</c>) so the entry and its lease live in the same cluster slot.
/// </summary>
internal sealed class CacheKey
{
    private const string Version = "v1";

    private CacheKey(string hash, string prefix)
    {
        Hash = hash;
        Token = new RedisKey($"{prefix}token:{{{hash}}}");
        Lease = new RedisKey($"{prefix}lease:{{{hash}}}");
    }

    /// <summary>Gets the hex SHA-256 of the identity: also the Data Protection sub-purpose, so an entry copied to another key does not decrypt.</summary>
    public string Hash { get; }

    public RedisKey Token { get; }

    public RedisKey Lease { get; }

    public static CacheKey Create(JwtTokenSource source, RedisTokenCacheOptions options)
    {
        // Length-prefixed fields: ("ab", "c") and ("a", "bc") must not collide.
        var identity = new StringBuilder();
        foreach (var field in (ReadOnlySpan<string?>)[Version, source.GetType().FullName, source.Name, options.Issuer, options.Audience, options.ClientId, options.Scope, options.Endpoint, options.PartitionName])
        {
            var value = field ?? string.Empty;
            identity.Append(field is null ? -1 : value.Length).Append(':').Append(value).Append('|');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())));
        return new CacheKey(hash, options.KeyPrefix);
    }
}
