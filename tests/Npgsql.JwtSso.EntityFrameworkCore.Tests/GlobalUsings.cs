global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
global using Npgsql.JwtSso.Testing;
global using Xunit;
