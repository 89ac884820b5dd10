using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Fetches each instance's first token while the host starts, so the first query never waits on the identity provider.</summary>
internal sealed partial class JwtSsoWarmUpService(
    IServiceProvider services,
    IEnumerable<JwtSsoInstance> instances,
    IEnumerable<JwtSsoDataSourceRegistration> dataSources,
    IOptionsMonitor<JwtSsoStartupOptions> startupOptions,
    ILogger<JwtSsoWarmUpService>? logger = null) : IHostedService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var warmUps = new List<Task>();
        foreach (var instance in instances.DistinctBy(i => i.Name))
        {
            var options = startupOptions.Get(instance.Name);
            if (options.WarmUp)
            {
                warmUps.Add(WarmUpAsync(instance.Name, options.FailFast, cancellationToken));
            }
        }

        await Task.WhenAll(warmUps).ConfigureAwait(false);

        // Building may fetch a token (to derive the username), so it follows the instance's WarmUp switch.
        foreach (var registration in dataSources)
        {
            var options = startupOptions.Get(registration.InstanceName);
            if (options.WarmUp)
            {
                BuildDataSource(registration.InstanceName, options.FailFast);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync(string name, bool failFast, CancellationToken cancellationToken)
    {
        var displayName = JwtSsoServiceCollectionExtensions.DisplayName(name);
        try
        {
            var cache = services.GetRequiredKeyedService<JwtTokenCache>(name);
            var token = await cache.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            LogWarmedUp(_logger, displayName, cache.Source.Name, token.ExpiresOn);
        }
        catch (JwtSsoException ex) when (!failFast)
        {
            LogWarmUpFailed(_logger, displayName, ex.Message);
        }
        catch (JwtSsoException ex)
        {
            throw new JwtSsoException(ex.Kind, ex.SourceName, $"JWT SSO instance '{displayName}' could not get its first token while the host started: {ex.Message} (Set JwtSso:Startup:FailFast to false to start anyway and report unhealthy.)", ex);
        }
    }

    private void BuildDataSource(string name, bool failFast)
    {
        try
        {
            _ = name.Length == 0 ? services.GetRequiredService<JwtSsoDataSource>() : services.GetRequiredKeyedService<JwtSsoDataSource>(name);
        }
        catch (JwtSsoException ex) when (!failFast)
        {
            LogDataSourceFailed(_logger, JwtSsoServiceCollectionExtensions.DisplayName(name), ex.Message);
        }
    }

    [LoggerMessage(3, LogLevel.Error, "JWT SSO data source of instance {Instance} could not be built at start-up; continuing (FailFast is off): {Error}")]
    private static partial void LogDataSourceFailed(ILogger logger, string instance, string error);

    [LoggerMessage(1, LogLevel.Information, "JWT SSO instance {Instance} warmed up: source {Source}, token expires {ExpiresOn}")]
    private static partial void LogWarmedUp(ILogger logger, string instance, string source, DateTimeOffset? expiresOn);

    [LoggerMessage(2, LogLevel.Error, "JWT SSO instance {Instance} could not get its first token at start-up; continuing (FailFast is off): {Error}")]
    private static partial void LogWarmUpFailed(ILogger logger, string instance, string error);
}
