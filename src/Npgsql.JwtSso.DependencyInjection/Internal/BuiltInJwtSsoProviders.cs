using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>The token sources of the core package that can be chosen with <c>"Provider"</c> in configuration.</summary>
internal static class BuiltInJwtSsoProviders
{
    private static readonly IJwtSsoProvider[] Providers =
    [
        new Provider<StaticSettings>("Static", (s, _, path) => new StaticTokenSource(Require(s.Token, path, nameof(s.Token)))),
        new Provider<FileSettings>("File", (s, _, path) => new FileTokenSource(Require(s.Path, path, nameof(s.Path)))),
        new Provider<EnvironmentSettings>("Environment", (s, _, path) => new EnvironmentTokenSource(Require(s.VariableName, path, nameof(s.VariableName)))),
        new Provider<CommandTokenSourceOptions>("Command", (s, sp, path) =>
        {
            Require(s.FileName, path, nameof(s.FileName));
            return new CommandTokenSource(s, sp.GetService<TimeProvider>());
        }),
        new Provider<GitHubActionsSettings>("GitHubActions", (s, _, path) => new GitHubActionsTokenSource(Require(s.Audience, path, nameof(s.Audience)))),
    ];

    public static IEnumerable<string> Names => Providers.Select(p => p.Name);

    public static IJwtSsoProvider? Find(string name)
        => Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string Require(string? value, string path, string key)
        => !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, $"'{path}:{key}' is required.");

    private sealed class Provider<TSettings>(string name, Func<TSettings, IServiceProvider, string, JwtTokenSource> create) : IJwtSsoProvider
        where TSettings : class, new()
    {
        public string Name { get; } = name;

        public JwtTokenSource Create(IConfigurationSection section, IServiceProvider services)
            => create(JwtSsoConfiguration.Bind(section, new TSettings()), services, section.Path);
    }

    private sealed class StaticSettings
    {
        public string? Token { get; set; }
    }

    private sealed class FileSettings
    {
        public string? Path { get; set; }
    }

    private sealed class EnvironmentSettings
    {
        public string? VariableName { get; set; }
    }

    private sealed class GitHubActionsSettings
    {
        public string? Audience { get; set; }
    }
}
