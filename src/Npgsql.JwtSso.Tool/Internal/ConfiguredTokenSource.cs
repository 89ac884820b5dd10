using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Gcp;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso.Tool.Internal;

/// <summary>
/// The token source an application's configuration file describes (<c>"JwtSso": { "Provider": …, … }</c>), built by the
/// library's own configuration binding so that the tool and the application read the same settings the same way.
/// </summary>
internal sealed class ConfiguredTokenSource : JwtTokenSource, IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly JwtTokenSource _inner;

    private ConfiguredTokenSource(ServiceProvider services, JwtTokenSource inner)
    {
        _services = services;
        _inner = inner;
    }

    public override string Name => _inner.Name;

    /// <summary>The environment variable that can hold the client secret instead of <c>--client-secret</c>.</summary>
    public const string ClientSecretVariable = "CRDB_JWT_CLIENT_SECRET";

    // Providers whose section has a ClientSecret key (others would refuse it as an unknown key).
    private static readonly string[] SecretProviders = ["Okta", "Azure", "ClientCredentials"];

    /// <summary>Gets the instance's library options (PrincipalClaim, IdentityMap, AllowInsecureTransport, …) as the app would see them.</summary>
    public JwtSsoOptions Options => _services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtSsoOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName);

    /// <summary>
    /// Reads the configuration as a .NET host does: the file, then <c>{name}.{Environment}.json</c> next to it, then user
    /// secrets (Development, when a project file next to it has a UserSecretsId), then environment variables
    /// (<c>JwtSso__Okta__ClientSecret</c>), then <c>CRDB_JWT_CLIENT_SECRET</c> for the selected provider's ClientSecret.
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
            && layered.GetSection(sectionPath)["Provider"] is { } selected
            && SecretProviders.FirstOrDefault(p => p.Equals(selected, StringComparison.OrdinalIgnoreCase)) is { } provider)
        {
            builder.AddInMemoryCollection([new($"{sectionPath}:{provider}:ClientSecret", secret)]);
        }

        var configuration = builder.Build();
        var section = configuration.GetSection(sectionPath);
        if (!section.Exists())
        {
            throw new ToolException($"--config '{path}' has no section '{sectionPath}': name it with --config-section (for example JwtSso or ConnectionStrings:…).");
        }

        var collection = new ServiceCollection();
        collection.AddSingleton(context.Time);
        collection.AddJwtSsoProvider<GcpJwtSsoProvider>();
        collection.AddJwtSsoProvider<AzureJwtSsoProvider>();
        collection.AddJwtSsoProvider<OktaJwtSsoProvider>();
        collection.AddJwtSsoProvider<ClientCredentialsJwtSsoProvider>();
        var name = Microsoft.Extensions.Options.Options.DefaultName;
        collection.AddNpgsqlJwtSso(section, name);
        var services = collection.BuildServiceProvider();
        try
        {
            var cache = services.GetRequiredKeyedService<JwtTokenCache>(name);
            return new ConfiguredTokenSource(services, cache.Source);
        }
        catch (Exception e) when (e is JwtSsoException or InvalidOperationException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            services.Dispose();
            throw new ToolException($"--config '{path}' section '{sectionPath}': {ErrorText.OneLine(e.Message)}", e);
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
