using Xunit;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

/// <summary>Issue 13 item 4: <c>jwtsso.token.cache.misses</c> counts one per open that found no usable token, on every open path.</summary>
public class CacheMissCountTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task ConcurrentColdOpens_OneMissEach(bool throughJwtSsoDataSource, bool sync)
    {
        const int Opens = 50;
        var name = $"miss-{Guid.NewGuid():N}";
        using var telemetry = new TelemetryCapture(name);
        await using var server = new FakeCrdbServer();
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("Username=alice;Pooling=false;Timeout=300"))
            .UseJwtSso(new UnreachableTokenSource(name), o => o.AllowInsecureTransport = true);
        await using var holder = new DbDataSourceHolder(throughJwtSsoDataSource ? builder.BuildJwtSso() : builder.Build());

        var opens = Enumerable.Range(0, Opens).Select(_ => sync
            ? Task.Run(() => holder.Source.OpenConnection().Dispose())
            : Task.Run(async () => await (await holder.Source.OpenConnectionAsync()).DisposeAsync()));
        var results = await Task.WhenAll(opens.Select(async t =>
        {
            try
            {
                await t;
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }));

        Assert.All(results, e => Assert.NotNull(e)); // the identity provider is down: no open succeeds
        Assert.Equal(Opens, telemetry.Values(JwtSsoTelemetry.CacheMissesInstrument).Sum());
        Assert.Empty(server.Logins);
    }

    private sealed class DbDataSourceHolder(System.Data.Common.DbDataSource source) : IAsyncDisposable
    {
        public System.Data.Common.DbDataSource Source => source;

        public ValueTask DisposeAsync() => source.DisposeAsync();
    }
}
