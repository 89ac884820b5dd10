using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// A view of a configuration section in which one key, written as an array of lines (a JSON array), reads as a single
/// string of those lines joined with <c>\n</c>; everything else is the underlying section.
/// </summary>
internal sealed class JoinedLinesSection(IConfigurationSection inner, string key, string joined) : IConfigurationSection
{
    public string Key => inner.Key;

    public string Path => inner.Path;

    public string? Value
    {
        get => inner.Value;
        set => inner.Value = value;
    }

    public string? this[string name]
    {
        get => IsJoined(name) ? joined : inner[name];
        set => inner[name] = value;
    }

    public IConfigurationSection GetSection(string name)
        => IsJoined(name) ? Leaf() : inner.GetSection(name);

    public IEnumerable<IConfigurationSection> GetChildren()
        => inner.GetChildren().Select(c => IsJoined(c.Key) ? Leaf() : c);

    public IChangeToken GetReloadToken() => inner.GetReloadToken();

    private bool IsJoined(string name) => string.Equals(name, key, StringComparison.OrdinalIgnoreCase);

    private ValueSection Leaf() => new(key, ConfigurationPath.Combine(inner.Path, key), joined, inner);

    /// <summary>A section holding one value and no children.</summary>
    private sealed class ValueSection(string key, string path, string? value, IConfiguration owner) : IConfigurationSection
    {
        public string Key => key;

        public string Path => path;

        public string? Value { get; set; } = value;

        public string? this[string name]
        {
            get => null;
            set => throw new NotSupportedException("The joined lines cannot be edited.");
        }

        public IConfigurationSection GetSection(string name) => new ValueSection(name, ConfigurationPath.Combine(path, name), null, owner);

        public IEnumerable<IConfigurationSection> GetChildren() => [];

        public IChangeToken GetReloadToken() => owner.GetReloadToken();
    }
}
