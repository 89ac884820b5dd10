using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// The code rows of the contract every token source passes on the dependency-injection path: used in code it is created
/// with its settings, a missing required setting fails at start (ValidateOnStart) naming the instance and the setting,
/// a second call composes like options, and named instances keep their own options. A source with a configuration form
/// derives <see cref="JwtSsoSourceRegistrationContract"/>, which adds the configuration rows; one without (a delegate)
/// derives this class alone.
/// </summary>
public abstract class JwtSsoCodeSourceRegistrationContract
{
    /// <summary>Gets the type of the source the registration creates.</summary>
    protected abstract Type SourceType { get; }

    /// <summary>Gets a required setting; without it the options are invalid.</summary>
    protected abstract string RequiredKey { get; }

    /// <summary>Gets a setting that takes any plain text, used to tell two instances apart.</summary>
    protected abstract string DistinguishingKey { get; }

    /// <summary>Reads the <see cref="DistinguishingKey"/> setting back from the instance's bound options.</summary>
    protected abstract string? ReadDistinguishing(IServiceProvider services, string instance);

    /// <summary>Uses the source for the builder's instance through its descriptor, with no settings at all.</summary>
    protected abstract void AddWithoutSettings(IJwtSsoBuilder builder);

    /// <summary>Uses the source for the builder's instance, in code, with valid settings and <paramref name="distinguishing"/>.</summary>
    protected abstract void AddInCode(IJwtSsoBuilder builder, string distinguishing);

    /// <summary>Turns a label into a value <see cref="DistinguishingKey"/> accepts (the label itself unless overridden).</summary>
    protected virtual string Value(string label) => label;

    [Fact]
    public async Task AddInCode_CreatesTheSource()
    {
        await using var services = Build(s => AddInCode(s.AddNpgsqlJwtSso(), Value("in-code")));

        Validate(services);

        Assert.IsType(SourceType, services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
        Assert.Equal(Value("in-code"), ReadDistinguishing(services, string.Empty));
    }

    [Fact]
    public async Task Start_RequiredSettingMissingInCode_FailsAtStartNotAtFirstUse()
    {
        await using var services = Build(s => AddWithoutSettings(s.AddNpgsqlJwtSso("orders")));

        var ex = Assert.Throws<OptionsValidationException>(() => Validate(services));

        Assert.Contains("'orders'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(RequiredKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddInCodeTwice_ComposesLikeOptions()
    {
        await using var services = Build(s =>
        {
            var builder = s.AddNpgsqlJwtSso();
            AddInCode(builder, Value("first"));
            AddInCode(builder, Value("second"));
        });

        Validate(services);

        Assert.Equal(Value("second"), ReadDistinguishing(services, string.Empty));
    }

    [Fact]
    public async Task TwoNamedInstancesInCode_KeepTheirOwnOptions()
    {
        await using var services = Build(s =>
        {
            AddInCode(s.AddNpgsqlJwtSso("orders"), Value("orders-value"));
            AddInCode(s.AddNpgsqlJwtSso("billing"), Value("billing-value"));
        });

        Validate(services);

        Assert.Equal(Value("orders-value"), ReadDistinguishing(services, "orders"));
        Assert.Equal(Value("billing-value"), ReadDistinguishing(services, "billing"));
        Assert.NotSame(services.GetRequiredKeyedService<JwtTokenSource>("orders"), services.GetRequiredKeyedService<JwtTokenSource>("billing"));
    }

    /// <summary>Runs the host's start-up validation (ValidateOnStart).</summary>
    protected static void Validate(IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();

    /// <summary>Builds a container as a host would, with scope validation.</summary>
    protected static ServiceProvider Build(Action<IServiceCollection> configure, ILoggerFactory? logs = null)
    {
        var services = new ServiceCollection();
        if (logs is not null)
        {
            services.AddSingleton(logs);
        }

        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
