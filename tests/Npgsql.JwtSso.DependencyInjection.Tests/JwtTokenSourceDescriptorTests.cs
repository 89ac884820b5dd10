using Microsoft.Extensions.Configuration;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public sealed class JwtTokenSourceDescriptorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void New_BlankName_ThrowsNamingTheParameter(string name)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new JwtTokenSourceDescriptor<Settings>(name, Bind, _ => [], Create));

        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void New_MissingDelegate_ThrowsNamingIt()
    {
        Assert.Equal("bind", Assert.Throws<ArgumentNullException>(() => new JwtTokenSourceDescriptor<Settings>("Test", null!, _ => [], Create)).ParamName);
        Assert.Equal("validate", Assert.Throws<ArgumentNullException>(() => new JwtTokenSourceDescriptor<Settings>("Test", Bind, null!, Create)).ParamName);
        Assert.Equal("create", Assert.Throws<ArgumentNullException>(() => new JwtTokenSourceDescriptor<Settings>("Test", Bind, _ => [], null!)).ParamName);
    }

    private static void Bind(IConfiguration configuration, Settings options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    private static JwtTokenSource Create(Settings options, JwtTokenSourceContext context) => new StaticTokenSource("unused");

    private sealed class Settings
    {
        public string? Value { get; set; }
    }
}
