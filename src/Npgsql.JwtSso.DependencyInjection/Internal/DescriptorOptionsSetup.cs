using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// A descriptor's part in the named options of every instance that uses its source: binding from the sub-section of an
/// instance whose <c>Source</c> key names the source, and the descriptor's validation.
/// </summary>
internal sealed class DescriptorOptionsSetup<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
    JwtTokenSourceDescriptor<TOptions> descriptor,
    IEnumerable<SourceChoice> choices) : IConfigureNamedOptions<TOptions>, IValidateOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, TOptions options)
    {
        foreach (var choice in choices)
        {
            if (choice.Section is { } section && choice.IsFor(name ?? Options.DefaultName, descriptor.Name))
            {
                var own = section.GetChildren().FirstOrDefault(c => string.Equals(c.Key, descriptor.Name, StringComparison.OrdinalIgnoreCase))
                    ?? section.GetSection(descriptor.Name);
                ConfigurationSections.ThrowIfEmpty(own, $"the settings of the '{descriptor.Name}' token source named by {choice.Origin}");
                JwtSsoConfiguration.Bind(own, options, descriptor.Bind);
            }
        }
    }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var instance = name ?? Options.DefaultName;
        var choice = choices.FirstOrDefault(c => c.IsFor(instance, descriptor.Name));
        if (choice is null)
        {
            return ValidateOptionsResult.Skip;
        }

        var problems = descriptor.Validate(options).ToList();
        if (problems.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var where = choices.FirstOrDefault(c => c.IsFor(instance, descriptor.Name) && c.Section is not null) is { Section: { } section }
            ? $" (configuration section '{section.Path}:{descriptor.Name}')"
            : string.Empty;
        var prefix = $"JWT SSO instance '{JwtSsoServiceCollectionExtensions.DisplayName(instance)}', token source '{descriptor.Name}'{where}: ";
        return ValidateOptionsResult.Fail(problems.Select(p => prefix + p));
    }
}
