using Npgsql.JwtSso.Internal;
using Xunit;

namespace Npgsql.JwtSso.Tests.Cockroach.Internal;

public class CrdbStartupOptionsTests
{
    [Theory]
    [InlineData("--crdb:jwt_auth_enabled=true")]
    [InlineData("--crdb:jwt-auth-enabled=true")]
    [InlineData("-c crdb:jwt_auth_enabled=true")]
    [InlineData("-ccrdb:JWT_AUTH_ENABLED=true")]
    [InlineData("  -c   search_path=x   --crdb:jwt_auth_enabled=T ")]
    [InlineData("--crdb:jwt_auth_enabled=1")]
    [InlineData("--crdb:jwt_auth_enabled=false --crdb:jwt_auth_enabled=TRUE")]
    public void TryReadJwtFlag_AcceptedSpellings_Enabled(string options)
    {
        Assert.True(CrdbStartupOptions.TryReadJwtFlag(options, out var enabled, out _));
        Assert.True(enabled);
    }

    [Theory]
    [InlineData("--crdb:jwt_auth_enabled=0")]
    [InlineData("--crdb:jwt_auth_enabled=f")]
    [InlineData("-c crdb:jwt_auth_enabled=False")]
    public void TryReadJwtFlag_FalseValues_Disabled(string options)
    {
        Assert.True(CrdbStartupOptions.TryReadJwtFlag(options, out var enabled, out _));
        Assert.False(enabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-c search_path=x")]
    [InlineData("-c")]
    public void TryReadJwtFlag_Absent_Null(string? options)
    {
        Assert.True(CrdbStartupOptions.TryReadJwtFlag(options, out var enabled, out _));
        Assert.Null(enabled);
    }

    [Theory]
    [InlineData("--crdb:jwt_auth_enabled=yes", "crdb:jwt_auth_enabled: strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("--crdb:jwt_auth_enabled=", "crdb:jwt_auth_enabled: strconv.ParseBool: parsing \"\": invalid syntax")]
    [InlineData("--crdb:jwt_auth_enabled=tRUE", "crdb:jwt_auth_enabled: strconv.ParseBool: parsing \"tRUE\": invalid syntax")]
    public void TryReadJwtFlag_BadValue_22023(string options, string message)
    {
        Assert.False(CrdbStartupOptions.TryReadJwtFlag(options, out _, out var error));
        Assert.Equal("22023", error.SqlState);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("search_path=default", "option \"search_path=default\" is invalid, must have prefix '-c' or '--'")]
    [InlineData("-c search_path=default-c optimizer_use_multicol_stats=true", "option \"optimizer_use_multicol_stats=true\" is invalid, must have prefix '-c' or '--'")]
    [InlineData("--crdb:jwt_auth_enabled", "option \"--crdb:jwt_auth_enabled\" is invalid, check '='")]
    [InlineData("-c a=b=c", "option \"a=b=c\" is invalid, check '='")]
    public void TryParse_Malformed_08P01(string options, string message)
    {
        Assert.False(CrdbStartupOptions.TryParse(options, out _, out var error));
        Assert.Equal("08P01", error.SqlState);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void TryParse_DashCWithoutSpaceBelongsToPreviousValue()
    {
        Assert.True(CrdbStartupOptions.TryParse("-c search_path=default-c", out var values, out _));
        Assert.Equal([new("search_path", "default-c")], values);
    }

    [Fact]
    public void Split_BackslashEscapesSpaceAndBackslash()
    {
        Assert.Equal(["-ca=b c", "--d=e\\f", "x"], CrdbStartupOptions.Split("-ca=b\\ c \t --d=e\\\\f\nx"));
    }

    [Theory]
    [InlineData(null, "--crdb:jwt_auth_enabled=true")]
    [InlineData("  ", "--crdb:jwt_auth_enabled=true")]
    [InlineData("-c search_path=app ", "-c search_path=app --crdb:jwt_auth_enabled=true")]
    [InlineData("-c crdb:jwt-auth-enabled=t", "-c crdb:jwt-auth-enabled=t")]
    public void MergeJwtFlag_AddsFlagOnce(string? options, string expected)
    {
        var merged = CrdbStartupOptions.MergeJwtFlag(options);

        Assert.Equal(expected, merged);
        Assert.True(CrdbStartupOptions.TryReadJwtFlag(merged, out var enabled, out _));
        Assert.True(enabled);
    }

    [Fact]
    public void MergeJwtFlag_ExplicitFalse_ConfigurationErrorSaysSo()
    {
        var e = Assert.Throws<JwtSsoException>(() => CrdbStartupOptions.MergeJwtFlag("--crdb:jwt_auth_enabled=false"));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("crdb:jwt_auth_enabled=false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeJwtFlag_Malformed_ConfigurationErrorWithServerText()
    {
        var e = Assert.Throws<JwtSsoException>(() => CrdbStartupOptions.MergeJwtFlag("search_path=x"));

        Assert.Equal(JwtSsoErrorKind.Configuration, e.Kind);
        Assert.Contains("must have prefix '-c' or '--'", e.Message, StringComparison.Ordinal);
        Assert.Contains("08P01", e.Message, StringComparison.Ordinal);
    }
}
