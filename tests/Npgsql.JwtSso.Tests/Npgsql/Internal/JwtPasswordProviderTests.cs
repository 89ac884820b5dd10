using Npgsql.JwtSso.Internal;
using Xunit;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring.Internal;

public class JwtPasswordProviderTests
{
    [Fact]
    public async Task GetPasswordAsync_CachedAndVerified_AllocatesNothing()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=h;Username=alice;SSL Mode=VerifyFull");
        using var cache = new JwtTokenCache(new CountingTokenSource());
        builder.UseJwtSso(cache);
        await using var dataSource = await builder.BuildJwtSsoAsync();
        var provider = new JwtPasswordProvider(JwtSsoWiring.Find(builder));
        var settings = builder.ConnectionStringBuilder;
        await provider.GetPasswordAsync(settings, default); // warm up JIT paths

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var pending = provider.GetPasswordAsync(settings, default);
            Assert.True(pending.IsCompletedSuccessfully);
            _ = provider.GetPassword(settings);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
