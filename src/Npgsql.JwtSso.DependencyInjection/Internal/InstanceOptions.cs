using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>
/// Reads an instance's cache options when its cache is created, validating its connection options in the same step.
/// The host runs the ValidateOnStart checks (which report every invalid options object at once) only after it has
/// resolved the hosted services; a worker that takes a data source or the cache therefore creates the cache first, and
/// reading the cache options alone would report their errors and hide those of the connection options (a bad identity
/// map). Like the host, one failure is rethrown as is and several as one <see cref="AggregateException"/>.
/// </summary>
internal static class InstanceOptions
{
    public static JwtTokenCacheOptions Cache(IServiceProvider services, string name)
    {
        List<OptionsValidationException>? failures = null;
        JwtTokenCacheOptions? cache = null;
        try
        {
            cache = services.GetRequiredService<IOptionsMonitor<JwtTokenCacheOptions>>().Get(name);
        }
        catch (OptionsValidationException ex)
        {
            (failures ??= []).Add(ex);
        }

        try
        {
            _ = services.GetRequiredService<IOptionsMonitor<JwtSsoConnectionOptions>>().Get(name);
        }
        catch (OptionsValidationException ex)
        {
            (failures ??= []).Add(ex);
        }

        switch (failures)
        {
            case null:
                return cache!;
            case [var single]:
                ExceptionDispatchInfo.Throw(single);
                return null!;
            default:
                throw new AggregateException(failures);
        }
    }
}
