using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Npgsql.JwtSso.Internal;

/// <summary>
/// What <c>UseJwtSso</c> attached to one data-source builder: the cache, the parsed identity map and the password
/// provider. Found again by <c>BuildJwtSso</c> through a weak table keyed by the builder.
/// </summary>
internal sealed class JwtSsoWiring
{
    private static readonly ConditionalWeakTable<object, JwtSsoWiring> ByBuilder = [];
    private int _verified;

    private JwtSsoWiring(JwtTokenCache cache, bool ownsCache, IdentityMap map, ILogger logger)
    {
        Cache = cache;
        OwnsCache = ownsCache;
        IdentityMap = map;
        Logger = logger;
    }

    public JwtTokenCache Cache { get; }

    public bool OwnsCache { get; }

    public JwtSsoOptions Options => Cache.Options;

    public IdentityMap IdentityMap { get; }

    public ILogger Logger { get; }

    public static JwtSsoWiring Attach(object builder, NpgsqlConnectionStringBuilder csb, JwtTokenCache cache, bool ownsCache, ILoggerFactory? loggerFactory)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Npgsql.JwtSso");
        var wiring = new JwtSsoWiring(cache, ownsCache, ParseMap(cache.Options.IdentityMap, cache.Options.IdentityMapIgnoreCase), logger);
        ConnectionStringGuard.Apply(csb, cache.Options, logger);
        if (!ByBuilder.TryAdd(builder, wiring))
        {
            throw new JwtSsoException(JwtSsoErrorKind.Configuration, cache.Source.Name,
                "UseJwtSso was already called on this data-source builder; call it once per builder.");
        }

        return wiring;
    }

    public static JwtSsoWiring Find(object builder)
        => ByBuilder.TryGetValue(builder, out var wiring)
            ? wiring
            : throw new InvalidOperationException("Call UseJwtSso(...) on the data-source builder before BuildJwtSso().");

    /// <summary>Checks or derives the username against a token, once per data source; later tokens are not re-checked.</summary>
    public string? VerifyOnce(JwtToken token, string? username)
    {
        if (Volatile.Read(ref _verified) != 0)
        {
            return username;
        }

        string? resolved = username;
        if (string.IsNullOrEmpty(username) || Options.VerifyUsername)
        {
            resolved = UsernameCheck.Resolve(token, username, Options, IdentityMap, Cache.Source.Name);
            if (string.IsNullOrEmpty(username))
            {
                Log.UsernameDerived(Logger, resolved, token.ToString(), Options.PrincipalClaim);
            }
            else
            {
                Log.UsernameVerified(Logger, resolved, token.ToString(), Options.PrincipalClaim);
            }
        }

        Volatile.Write(ref _verified, 1);
        return resolved;
    }

    public bool IsVerified => Volatile.Read(ref _verified) != 0;

    private static IdentityMap ParseMap(string? text, bool ignoreCase)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return IdentityMap.Empty;
        }

        return IdentityMap.TryParse(text, ignoreCase, out var map, out var error)
            ? map
            : throw new JwtSsoException(JwtSsoErrorKind.Configuration, null,
                $"JwtSsoOptions.IdentityMap is not a valid identity map ({error}). It uses the syntax of the cluster's server.identity_map.configuration: '<issuer> <principal or /regex> <SQL user>' per line.");
    }
}
