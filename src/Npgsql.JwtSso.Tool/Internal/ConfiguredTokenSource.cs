using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Gcp;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// The token source a configuration describes (<c>"JwtSso": { "Source": …, … }</c>), built by the library's own
/// configuration path, so that the tool and the application read the same settings the same way: an application's
/// file (<c>--config</c>), or the tool's flags turned into the same keys (<c>--source</c>).
/// </summary>
internal sealed class ConfiguredTokenSource : JwtTokenSource, IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly JwtTokenSource _inner;

    private readonly bool _fromApplication;

    private ConfiguredTokenSource(ServiceProvider services, JwtTokenSource inner, bool fromApplication)
    {
        _services = services;
        _inner = inner;
        _fromApplication = fromApplication;
    }

    public override string Name => _inner.Name;

    /// <summary>The environment variable that can hold the client secret instead of <c>--client-secret</c>.</summary>
    public const string ClientSecretVariable = "CRDB_JWT_CLIENT_SECRET";

    // Sources whose section has a ClientSecret key (others would refuse it as an unknown key).
    private static readonly string[] SecretSources = [OktaTokenSource.Descriptor.Name, AzureTokenSource.Descriptor.Name, ClientCredentialsTokenSource.Descriptor.Name];

    /// <summary>Gets the instance's connection options (PrincipalClaim, IdentityMap, AllowInsecureTransport, …) as the app would see them; <see langword="null"/> for flags.</summary>
    public JwtSsoConnectionOptions? Options => !_fromApplication ? null : _services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtSsoConnectionOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName);

    /// <summary>
    /// Reads the configuration as a .NET host does: the file, then <c>{name}.{Environment}.json</c> next to it, then user
    /// secrets (Development, when a project file next to it has a UserSecretsId), then environment variables
    /// (<c>JwtSso__Okta__ClientSecret</c>), then <c>CRDB_JWT_CLIENT_SECRET</c> for the selected source's ClientSecret.
    /// </summary>
    public static ConfiguredTokenSource Create(string path, string sectionPath, string? environment, ToolContext context)
    {
        if (!File.Exists(path))
        {
            throw new ToolException($"--config '{path}' does not exist.");
        }

        var full = Path.GetFullPath(path);
        environment ??= context.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? context.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        var builder = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false);
        if (environment is { Length: > 0 })
        {
            var environmentFile = Path.Combine(Path.GetDirectoryName(full)!, $"{Path.GetFileNameWithoutExtension(full)}.{environment}.json");
            if (!string.Equals(environmentFile, full, StringComparison.OrdinalIgnoreCase))
            {
                builder.AddJsonFile(environmentFile, optional: true, reloadOnChange: false);
            }

            if (environment.Equals("Development", StringComparison.OrdinalIgnoreCase) && UserSecretsId(Path.GetDirectoryName(full)!) is { } id)
            {
                builder.AddJsonFile(Microsoft.Extensions.Configuration.UserSecrets.PathHelper.GetSecretsPathFromSecretsId(id), optional: true, reloadOnChange: false);
            }
        }

        builder.AddInMemoryCollection(context.EnvironmentVariables().Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), e.Value)));
        var layered = builder.Build();
        if (context.GetEnvironmentVariable(ClientSecretVariable) is { Length: > 0 } secret
            && layered.GetSection(sectionPath)["Source"] is { } selected
            && SecretSources.FirstOrDefault(s => s.Equals(selected, StringComparison.OrdinalIgnoreCase)) is { } source)
        {
            builder.AddInMemoryCollection([new($"{sectionPath}:{source}:ClientSecret", secret)]);
        }

        var configuration = builder.Build();
        var section = configuration.GetSection(sectionPath);
        if (!section.Exists())
        {
            throw new ToolException($"--config '{path}' has no section '{sectionPath}': name it with --config-section (for example JwtSso or ConnectionStrings:…).");
        }

        return Create(section, $"--config '{path}' section '{sectionPath}'", context, fromApplication: true, null);
    }

    /// <summary>Builds the source of <paramref name="section"/> through the library's configuration path.</summary>
    /// <param name="section">The instance's section (<c>Source</c> and the source's sub-section).</param>
    /// <param name="what">Where the settings came from, for error messages.</param>
    /// <param name="context">The tool's clock and HTTP trust.</param>
    /// <param name="fromApplication">Whether the section is an application's (its library options then apply).</param>
    /// <param name="configure">Adds code-only settings to the instance (for example a one-attempt Azure pipeline).</param>
    public static ConfiguredTokenSource Create(IConfigurationSection section, string what, ToolContext context, bool fromApplication, Action<IJwtSsoBuilder>? configure)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(context.Time);
        collection.AddJwtSsoTokenSource(GcpTokenSource.Descriptor).AddJwtSsoTokenSource(AzureTokenSource.Descriptor)
            .AddJwtSsoTokenSource(OktaTokenSource.Descriptor).AddJwtSsoTokenSource(ClientCredentialsTokenSource.Descriptor);
        collection.AddHttpClient(JwtTokenSourceContext.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(context.CreateHttpHandler);
        var name = Microsoft.Extensions.Options.Options.DefaultName;
        ServiceProvider? services = null;
        try
        {
            var builder = collection.AddNpgsqlJwtSso(section, name);
            configure?.Invoke(builder);
            services = collection.BuildServiceProvider();
            services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
            var cache = services.GetRequiredKeyedService<JwtTokenCache>(name);
            return new ConfiguredTokenSource(services, cache.Source, fromApplication);
        }
        catch (Exception e) when (e is JwtSsoException or InvalidOperationException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            services?.Dispose();
            throw new ToolException($"{what}: {ErrorText.OneLine(e.Message)}", e);
        }
    }

    private static string? UserSecretsId(string directory)
    {
        foreach (var project in Directory.EnumerateFiles(directory, "*.csproj"))
        {
            var match = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(project), "<UserSecretsId>\\s*([^<\\s]+)\\s*</UserSecretsId>");
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        return null;
    }

    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken) => _inner.GetTokenAsync(cancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
