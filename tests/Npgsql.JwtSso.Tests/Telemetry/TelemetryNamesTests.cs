using Xunit;

namespace Npgsql.JwtSso.Tests.Telemetry;

public sealed class TelemetryNamesTests
{
    [Fact]
    public void Telemetry_PublicNames_MatchTheEngineMeterAndActivitySource()
    {
        Assert.Equal(JwtSsoTelemetry.MeterName, Npgsql.JwtSso.Internal.JwtSsoMetrics.Static.Meter.Name);
        Assert.Equal(JwtSsoTelemetry.ActivitySourceName, Npgsql.JwtSso.Internal.JwtSsoTelemetry.ActivitySource.Name);
        Assert.Equal(JwtSsoTelemetry.FetchesInstrument, Npgsql.JwtSso.Internal.JwtSsoMetrics.Static.Fetches.Name);
        Assert.Equal(JwtSsoTelemetry.CacheMissesInstrument, Npgsql.JwtSso.Internal.JwtSsoMetrics.Static.CacheMisses.Name);
    }
}
