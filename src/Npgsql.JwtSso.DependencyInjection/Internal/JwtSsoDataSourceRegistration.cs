namespace Npgsql.JwtSso.DependencyInjection.Internal;

/// <summary>Marks a data source registered with AddJwtSsoDataSource, so start-up can build it (and fail on a bad connection string).</summary>
internal sealed record JwtSsoDataSourceRegistration(string InstanceName);
