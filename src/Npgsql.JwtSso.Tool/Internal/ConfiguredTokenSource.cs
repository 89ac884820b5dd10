using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Gcp;
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

    public static ConfiguredTokenSource Create(string path, string sectionPath, ToolContext context)
    {
        if (!File.Exists(path))
        {
            throw new ToolException($"--config '{path}' does not exist.");
        }

        var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
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
            throw new ToolException($"--config '{path}' section '{sectionPath}': {e.Message}", e);
        }
    }

    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken) => _inner.GetTokenAsync(cancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
