namespace Npgsql.JwtSso.Internal.DependencyInjection;

/// <summary>The token sources of the core package that can be chosen with <c>"Provider"</c> in configuration.</summary>
internal static class BuiltInJwtSsoProviders
{
    private static readonly IJwtSsoProvider[] Providers = [];

    public static IEnumerable<string> Names => Providers.Select(p => p.Name);

    public static IJwtSsoProvider? Find(string name)
        => Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
