using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>The [Range] checks of <see cref="JwtSsoOptions"/>, generated at compile time (no reflection at start-up).</summary>
[OptionsValidator]
internal sealed partial class JwtSsoOptionsAttributeValidator : IValidateOptions<JwtSsoOptions>
{
}
