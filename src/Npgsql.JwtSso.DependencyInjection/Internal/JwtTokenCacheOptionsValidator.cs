using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// Validates an instance's <see cref="JwtTokenCacheOptions"/> at host start. Each setter already refuses a value outside
/// its range (binding fails naming the key); this checks the rules between two settings, all errors at once.
/// </summary>
internal sealed class JwtTokenCacheOptionsValidator : IValidateOptions<JwtTokenCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtTokenCacheOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (options.MinRetryDelay > options.MaxRetryDelay)
        {
            builder.AddError($"MinRetryDelay ({options.MinRetryDelay}) must not exceed MaxRetryDelay ({options.MaxRetryDelay}).");
        }

        if (options.SafetyMargin >= options.AssumedLifetime)
        {
            builder.AddError($"SafetyMargin ({options.SafetyMargin}) must be shorter than AssumedLifetime ({options.AssumedLifetime}), or tokens without 'exp' could never be used.");
        }

        return Prefixed(builder.Build(), "JWT SSO cache options", name);
    }

    internal static ValidateOptionsResult Prefixed(ValidateOptionsResult result, string what, string? name)
    {
        var prefix = $"{what} for instance '{JwtSsoServiceCollectionExtensions.DisplayName(name ?? string.Empty)}': ";
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures!.Select(f => prefix + f)) : ValidateOptionsResult.Success;
    }
}
