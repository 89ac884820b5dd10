using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso;

/// <summary>Configures one named JWT single sign-on instance (token source, options, start-up behaviour).</summary>
public interface IJwtSsoBuilder
{
    /// <summary>Gets the service collection the instance is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the instance name (<see cref="Microsoft.Extensions.Options.Options.DefaultName"/> for the default instance).</summary>
    string Name { get; }
}
