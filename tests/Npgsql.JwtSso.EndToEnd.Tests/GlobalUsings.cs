global using Npgsql;
global using Npgsql.JwtSso.Testing;
global using Xunit;
global using Npgsql.JwtSso;
