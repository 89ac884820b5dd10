using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Validates <see cref="JwtSsoOptions"/> at host start: attribute ranges plus cross-field rules, all errors at once.</summary>
internal sealed class JwtSsoOptionsValidator : IValidateOptions<JwtSsoOptions>
{
    private static readonly JwtSsoOptionsAttributeValidator AttributeValidator = new();

    // TimeSpan ranges are checked here, not with [Range(typeof(TimeSpan), ...)]: that attribute parses its bounds through
    // a TypeConverter found by reflection, which trimming and native AOT cannot keep (IL2026).
    private static readonly (string Setting, Func<JwtSsoOptions, TimeSpan> Value, TimeSpan Min, TimeSpan Max)[] TimeSpanRanges =
    [
        (nameof(JwtSsoOptions.SafetyMargin), o => o.SafetyMargin, TimeSpan.Zero, TimeSpan.FromHours(1)),
        (nameof(JwtSsoOptions.AssumedLifetime), o => o.AssumedLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
        (nameof(JwtSsoOptions.MinRetryDelay), o => o.MinRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1)),
        (nameof(JwtSsoOptions.MaxRetryDelay), o => o.MaxRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)),
        (nameof(JwtSsoOptions.RateLimitWindow), o => o.RateLimitWindow, TimeSpan.Zero, TimeSpan.FromHours(1)),
    ];

    public ValidateOptionsResult Validate(string? name, JwtSsoOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(AttributeValidator.Validate(name, options));
        foreach (var (setting, value, min, max) in TimeSpanRanges)
        {
            if (value(options) < min || value(options) > max)
            {
                builder.AddError($"{setting} must be between {min} and {max}; it is {value(options)}.");
            }
        }

        if (options.MinRetryDelay > options.MaxRetryDelay)
        {
            builder.AddError($"MinRetryDelay ({options.MinRetryDelay}) must not exceed MaxRetryDelay ({options.MaxRetryDelay}).");
        }

        if (options.SafetyMargin >= options.AssumedLifetime)
        {
            builder.AddError($"SafetyMargin ({options.SafetyMargin}) must be shorter than AssumedLifetime ({options.AssumedLifetime}), or tokens without 'exp' could never be used.");
        }

        if (string.IsNullOrWhiteSpace(options.PrincipalClaim))
        {
            builder.AddError("PrincipalClaim must name a claim (the cluster's server.jwt_authentication.claim; 'sub' by default).");
        }

        var prefix = $"JWT SSO options for instance '{JwtSsoServiceCollectionExtensions.DisplayName(name ?? string.Empty)}': ";
        var result2 = builder.Build();
        return result2.Failed ? ValidateOptionsResult.Fail(result2.Failures!.Select(f => prefix + f)) : ValidateOptionsResult.Success;
    }
}
