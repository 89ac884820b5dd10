namespace Npgsql.JwtSso.Internal;

/// <summary>Rejects option values the engine cannot work with, naming the setting.</summary>
internal sealed partial class TokenRefresher
{
    private static void CheckOptions(JwtSsoOptions options)
    {
        static void Require(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, $"JwtSsoOptions.{setting} {rule}.");
            }
        }

        Require(options.RefreshAt is > 0 and < 1, nameof(options.RefreshAt), "must be a fraction of the token lifetime between 0 and 1 (exclusive), for example 0.5");
        Require(options.RefreshJitter is >= 0 and <= 0.5, nameof(options.RefreshJitter), "must be a fraction of the time until the refresh point between 0 and 0.5, for example 0.1");
        Require(options.SafetyMargin >= TimeSpan.Zero, nameof(options.SafetyMargin), "must not be negative");
        Require(options.AssumedLifetime > options.SafetyMargin, nameof(options.AssumedLifetime), "must be longer than SafetyMargin, or tokens without 'exp' could never be used");
        Require(options.AcquireTimeout > TimeSpan.Zero, nameof(options.AcquireTimeout), "must be positive");
        Require(options.SourceTimeout > TimeSpan.Zero, nameof(options.SourceTimeout), "must be positive");
        Require(options.MinRetryDelay > TimeSpan.Zero, nameof(options.MinRetryDelay), "must be positive");
        Require(options.MaxRetryDelay >= options.MinRetryDelay, nameof(options.MaxRetryDelay), "must not be shorter than MinRetryDelay");
        Require(options.RateLimitWindow >= TimeSpan.Zero, nameof(options.RateLimitWindow), "must not be negative (zero disables the rate limit)");
        Require(options.RateLimitBurst >= 1, nameof(options.RateLimitBurst), "must be at least 1");
    }
}
