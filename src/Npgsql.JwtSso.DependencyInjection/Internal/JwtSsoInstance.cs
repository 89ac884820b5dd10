namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Marks one registered instance name, so start-up and health checks can enumerate them.</summary>
internal sealed record JwtSsoInstance(string Name);
