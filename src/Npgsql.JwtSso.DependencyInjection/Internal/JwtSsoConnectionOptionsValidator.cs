using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// Validates an instance's default <see cref="JwtSsoConnectionOptions"/> at host start, so a bad identity map stops the
/// start instead of the first data source build. A data source's own changes are checked again by <c>UseJwtSso</c>.
/// </summary>
internal sealed class JwtSsoConnectionOptionsValidator : IValidateOptions<JwtSsoConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtSsoConnectionOptions options)
    {
        var builder = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.PrincipalClaim))
        {
            builder.AddError("PrincipalClaim must name a claim (the cluster's server.jwt_authentication.claim; 'sub' by default).");
        }

        if (!string.IsNullOrWhiteSpace(options.IdentityMap) && !IdentityMap.TryParse(options.IdentityMap, options.IdentityMapIgnoreCase, out _, out var error))
        {
            builder.AddError($"IdentityMap is not a valid identity map ({error}). It uses the syntax of the cluster's server.identity_map.configuration: '<issuer> <principal or /regex> <SQL user>' per line.");
        }

        return JwtTokenCacheOptionsValidator.Prefixed(builder.Build(), "JWT SSO connection options", name);
    }
}
