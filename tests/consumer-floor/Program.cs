using Microsoft.Extensions.DependencyInjection;
using Npgsql.JwtSso;

var services = new ServiceCollection();
services.AddNpgsqlJwtSso().AddGcp(o => o.Audience = "crdb");
Console.WriteLine(services.Count > 0 ? "ok" : "empty");
