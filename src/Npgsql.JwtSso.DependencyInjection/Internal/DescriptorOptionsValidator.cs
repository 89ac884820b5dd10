using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Runs a descriptor's validation on the named options of every instance that uses the source.</summary>
internal sealed class DescriptorOptionsValidator<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
    JwtTokenSourceDescriptor<TOptions> descriptor,
    IEnumerable<SourceChoice> choices) : IValidateOptions<TOptions>
    where TOptions : class
{
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
