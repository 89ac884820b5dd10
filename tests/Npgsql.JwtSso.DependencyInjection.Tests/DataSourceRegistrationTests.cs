using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public class DataSourceRegistrationTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=1;Database=app;SSL Mode=VerifyFull";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AddDataSource_DefaultInstance_RegistersJwtSsoDataSourceInnerAndDbDataSource()
    {
        var source = new CountingTokenSource(_time);
        var services = NewServices();
        services.AddNpgsqlJwtSso().AddTokenSource(source).AddDataSource(ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var jwtSso = provider.GetRequiredService<JwtSsoDataSource>();

        Assert.Same(jwtSso.Inner, provider.GetRequiredService<NpgsqlDataSource>());
        Assert.Same(jwtSso, provider.GetRequiredService<DbDataSource>());
        Assert.Same(provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty), jwtSso.Cache);
        Assert.Equal("bot", jwtSso.Username); // derived from the token's sub
        Assert.Contains("jwt_auth_enabled=true", jwtSso.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task AddJwtSsoDataSource_NamedInstances_KeyedByNameWithTheirOwnTokens()
    {
        var services = NewServices();
        services.AddNpgsqlJwtSso("orders").AddTokenSource(new CountingTokenSource(_time, "orders-src"));
        services.AddNpgsqlJwtSso("billing").AddTokenSource(new CountingTokenSource(_time, "billing-src"));
        services.AddJwtSsoDataSource(ConnectionString + ";Username=orders_bot", "orders");
        services.AddJwtSsoDataSource(ConnectionString + ";Username=billing_bot", "billing");
        await using var provider = services.BuildServiceProvider();

        var orders = provider.GetRequiredKeyedService<JwtSsoDataSource>("orders");
        var billing = provider.GetRequiredKeyedService<JwtSsoDataSource>("billing");

        Assert.Equal(("orders_bot", "orders-src"), (orders.Username, orders.Cache.Source.Name));
        Assert.Equal(("billing_bot", "billing-src"), (billing.Username, billing.Cache.Source.Name));
        Assert.Same(orders.Inner, provider.GetRequiredKeyedService<NpgsqlDataSource>("orders"));
        Assert.Same(billing, provider.GetRequiredKeyedService<DbDataSource>("billing"));
        Assert.Null(provider.GetService<NpgsqlDataSource>());
    }

    [Fact]
    public async Task UseJwtSso_ServiceProvider_UsesTheContainersSharedCache()
    {
        var services = NewServices();
        services.AddNpgsqlJwtSso("orders").AddTokenSource(new CountingTokenSource(_time));
        await using var provider = services.BuildServiceProvider();
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);

        builder.UseJwtSso(provider, "orders");
        await using var dataSource = await builder.BuildJwtSsoAsync();

        Assert.Same(provider.GetRequiredKeyedService<JwtTokenCache>("orders"), dataSource.Cache);
        Assert.Equal("bot", dataSource.Username);
    }

    [Fact]
    public async Task UseJwtSso_TwoDataSourcesOnOneInstance_EachHasItsOwnIdentityMapAndTransportRule()
    {
        var source = new CountingTokenSource(_time);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JwtSso:IdentityMap"] = "https://issuer.example bot orders_bot", // flat keys: the instance's connection defaults
            ["JwtSso:RefreshAt"] = "0.6", // and its cache options
        }).Build();
        var services = NewServices();
        services.AddNpgsqlJwtSso(config.GetSection("JwtSso")).AddTokenSource(source);
        await using var provider = services.BuildServiceProvider();
        const string Plaintext = "Host=127.0.0.1;Port=1;Database=app;SSL Mode=Disable";

        await using var orders = await new NpgsqlDataSourceBuilder(ConnectionString).UseJwtSso(provider).BuildJwtSsoAsync();
        await using var reports = await new NpgsqlDataSourceBuilder(Plaintext)
            .UseJwtSso(provider, configure: o =>
            {
                o.IdentityMap = "https://issuer.example bot reports_bot";
                o.AllowInsecureTransport = true;
            })
            .BuildJwtSsoAsync();
        var strict = Assert.Throws<JwtSsoException>(() => new NpgsqlDataSourceBuilder(Plaintext).UseJwtSso(provider));

        Assert.Equal("orders_bot", orders.Username);
        Assert.Equal("reports_bot", reports.Username);
        Assert.Contains("AllowInsecureTransport", strict.Message, StringComparison.Ordinal);
        Assert.Same(orders.Cache, reports.Cache);
        Assert.Equal(0.6, reports.Cache.Options.RefreshAt);
        Assert.Equal("https://issuer.example bot orders_bot", provider.GetRequiredService<IOptionsMonitor<JwtSsoConnectionOptions>>().Get(string.Empty).IdentityMap);
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task AddDataSource_ConfigureConnection_AppliesOnTopOfTheInstanceDefaults()
    {
        var services = NewServices();
        services.AddNpgsqlJwtSso()
            .AddTokenSource(new CountingTokenSource(_time))
            .ConfigureConnection(o =>
            {
                o.IdentityMap = "https://issuer.example bot orders_bot";
                o.PrincipalClaim = "iss"; // changed back below, for this data source only
            })
            .AddDataSource(ConnectionString, configureConnection: o => o.PrincipalClaim = "sub");
        await using var provider = services.BuildServiceProvider();

        var dataSource = provider.GetRequiredService<JwtSsoDataSource>();

        // The instance's map applies (orders_bot), with the data source's own claim ('sub' = "bot", not the issuer).
        Assert.Equal("orders_bot", dataSource.Username);
        Assert.Equal("iss", provider.GetRequiredService<IOptionsMonitor<JwtSsoConnectionOptions>>().Get(string.Empty).PrincipalClaim);
    }

    [Fact]
    public async Task UseJwtSso_SlimBuilderAndServiceProvider_UsesTheDefaultInstance()
    {
        var services = NewServices();
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingTokenSource(_time));
        await using var provider = services.BuildServiceProvider();
        var builder = new NpgsqlSlimDataSourceBuilder(ConnectionString);

        builder.UseJwtSso(provider);
        await using var dataSource = await builder.BuildJwtSsoAsync();

        Assert.Same(provider.GetRequiredKeyedService<JwtTokenCache>(string.Empty), dataSource.Cache);
    }

    [Fact]
    public async Task UseJwtSso_UnknownInstance_ThrowsNamingTheInstanceAndTheFix()
    {
        var services = NewServices();
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingTokenSource(_time));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => new NpgsqlDataSourceBuilder(ConnectionString).UseJwtSso(provider, "ordres"));

        Assert.Contains("'ordres'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddNpgsqlJwtSso(\"ordres\")", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDataSource_ContainerDisposed_DisposesTheSharedCache()
    {
        var services = NewServices();
        services.AddNpgsqlJwtSso().AddTokenSource(new CountingTokenSource(_time)).AddDataSource(ConnectionString);
        var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<JwtSsoDataSource>().Cache;

        await provider.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cache.ForceRefreshAsync());
    }

    [Fact]
    public async Task StartAsync_DataSourceWithoutTls_FailsAtStartNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddNpgsqlJwtSso("orders").AddTokenSource(new CountingTokenSource(_time)).AddDataSource("Host=127.0.0.1;Port=1;SSL Mode=Disable");
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<JwtSsoException>(() => host.StartAsync());

        Assert.Contains("SSL Mode=VerifyFull", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_DataSourceRegistered_BuiltDuringStartWithTheWarmedToken()
    {
        var source = new CountingTokenSource(_time);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddNpgsqlJwtSso().AddTokenSource(source).AddDataSource(ConnectionString);
        using var host = builder.Build();

        await host.StartAsync();

        Assert.Equal("bot", host.Services.GetRequiredService<JwtSsoDataSource>().Username);
        Assert.Equal(1, source.Calls);
        await host.StopAsync();
    }

    private ServiceCollection NewServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        return services;
    }
}
