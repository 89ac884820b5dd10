using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso.DependencyInjection.Internal;

internal sealed class JwtSsoBuilder(IServiceCollection services, string name) : IJwtSsoBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name { get; } = name;
}
