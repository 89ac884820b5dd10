using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Validates <see cref="JwtSsoOptions"/> at host start: attribute ranges plus cross-field rules, all errors at once.</summary>
internal sealed class JwtSsoOptionsValidator : IValidateOptions<JwtSsoOptions>
{
    private static readonly JwtSsoOptionsAttributeValidator AttributeValidator = new();

    public ValidateOptionsResult Validate(string? name, JwtSsoOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(AttributeValidator.Validate(name, options));

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
