global using Npgsql;
global using Npgsql.JwtSso.Testing;
global using Npgsql.JwtSso.Tool.Internal;
global using Xunit;
