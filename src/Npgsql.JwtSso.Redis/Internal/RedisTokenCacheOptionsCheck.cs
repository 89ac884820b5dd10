namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>Rejects option values the shared cache cannot work with, naming the setting and the fix.</summary>
internal static class RedisTokenCacheOptionsCheck
{
    public static void Check(RedisTokenCacheOptions options, bool hasDataProtection)
    {
        Require(!string.IsNullOrWhiteSpace(options.Issuer), nameof(options.Issuer), "is required: set it to the issuer ('iss') of the source's tokens, so entries of other issuers are never used");
        Require(!string.IsNullOrWhiteSpace(options.Audience), nameof(options.Audience), "is required: set it to the audience ('aud') of the source's tokens (the cluster's server.jwt_authentication.audience)");
        Require(!string.IsNullOrEmpty(options.KeyPrefix), nameof(options.KeyPrefix), "must not be empty, for example \"jwtsso:\"");
        Require(options.OperationTimeout >= TimeSpan.FromMilliseconds(1) && options.OperationTimeout <= TimeSpan.FromSeconds(10), nameof(options.OperationTimeout), $"must be between 1 ms and 10 s (an open may wait this long on Redis); it is {options.OperationTimeout}");
        Require(options.LeaseDuration >= TimeSpan.FromMilliseconds(100) && options.LeaseDuration <= TimeSpan.FromMinutes(5), nameof(options.LeaseDuration), $"must be between 100 ms and 5 min; it is {options.LeaseDuration}");
        Require(options.LeaseWait >= TimeSpan.Zero && options.LeaseWait <= TimeSpan.FromMinutes(5), nameof(options.LeaseWait), $"must be between 0 and 5 min; it is {options.LeaseWait}");
        Require(options.PollInterval >= TimeSpan.FromMilliseconds(1) && options.PollInterval <= TimeSpan.FromSeconds(10), nameof(options.PollInterval), $"must be between 1 ms and 10 s; it is {options.PollInterval}");
        Require(
            hasDataProtection || options.AllowUnencryptedTokens,
            "AllowUnencryptedTokens",
            "is false and no ASP.NET Core Data Protection is available, so tokens cannot be encrypted in Redis: register services.AddDataProtection() with a key ring every instance shares (for example PersistKeysToStackExchangeRedis), or, for development only, set AllowUnencryptedTokens = true");
    }

    private static void Require(bool ok, string setting, string rule)
    {
        if (!ok)
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, $"RedisTokenCacheOptions.{setting} {rule}.");
        }
    }
}
