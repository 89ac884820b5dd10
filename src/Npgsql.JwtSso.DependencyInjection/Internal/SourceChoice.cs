using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// The token source an instance uses: a descriptor's name (from code, or from the <c>Source</c> key of
/// <paramref name="Section"/>), or <see langword="null"/> for a source given as a factory.
/// </summary>
internal sealed record SourceChoice(string Instance, string? Source, IConfigurationSection? Section)
{
    public bool IsFor(string instance, string source)
        => Instance == instance && string.Equals(Source, source, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the choice came from, for error messages.</summary>
    public string Origin => Section is null ? "code" : $"'{ConfigurationPath.Combine(Section.Path, ConfigurationSections.SourceKey)}'";
}
