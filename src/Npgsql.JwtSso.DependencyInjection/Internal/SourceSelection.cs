using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// A per-instance marker whose start-up validation (ValidateOnStart) checks the instance's token source: the source
/// named in configuration is registered, and its options bind and validate. So a bad key or a missing setting fails
/// when the host starts, whatever the options type.
/// </summary>
internal sealed class SourceSelection;

/// <summary>Validates the token source choice of each instance; see <see cref="SourceSelection"/>.</summary>
internal sealed class SourceSelectionValidator(IServiceProvider services) : IValidateOptions<SourceSelection>
{
    public ValidateOptionsResult Validate(string? name, SourceSelection options)
    {
        var instance = name ?? Options.DefaultName;
        var choice = services.GetServices<SourceChoice>().FirstOrDefault(c => c.Instance == instance);
        if (choice?.Source is null)
        {
            return ValidateOptionsResult.Skip;
        }

        if (JwtSsoSources.Find(services, choice.Source) is not { } registration)
        {
            return ValidateOptionsResult.Fail(JwtSsoSources.NotRegistered(services, choice));
        }

        registration.Validate(services, instance);
        return ValidateOptionsResult.Success;
    }
}
