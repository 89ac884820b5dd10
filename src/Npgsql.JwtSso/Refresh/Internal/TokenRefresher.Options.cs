namespace Npgsql.JwtSso.Internal;

/// <summary>Rejects option combinations the engine cannot work with, naming the setting (each setter checks its own range).</summary>
internal sealed partial class TokenRefresher
{
    private static void CheckOptions(JwtTokenCacheOptions options)
    {
        static void Require(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, $"JwtTokenCacheOptions.{setting} {rule}.");
            }
        }

        Require(options.AssumedLifetime > options.SafetyMargin, nameof(options.AssumedLifetime), $"({options.AssumedLifetime}) must be longer than SafetyMargin ({options.SafetyMargin}), or tokens without 'exp' could never be used");
        Require(options.MaxRetryDelay >= options.MinRetryDelay, nameof(options.MaxRetryDelay), $"({options.MaxRetryDelay}) must not be shorter than MinRetryDelay ({options.MinRetryDelay})");
    }
}
