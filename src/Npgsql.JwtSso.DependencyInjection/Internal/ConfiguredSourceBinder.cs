using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Binds a source's options from the sub-section of an instance whose <c>Source</c> key names the source.</summary>
internal sealed class ConfiguredSourceBinder<[DynamicallyAccessedMembers(JwtTokenSourceDescriptor.OptionsMembers)] TOptions>(
    JwtTokenSourceDescriptor<TOptions> descriptor,
    IEnumerable<SourceChoice> choices) : IConfigureNamedOptions<TOptions>
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
}
