using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Npgsql.JwtSso.Tests.Shared;

/// <summary>
/// The contract every token source with a configuration form passes on the dependency-injection path: derive one class
/// per source. On top of the code rows of <see cref="JwtSsoCodeSourceRegistrationContract"/>, it registers the source by
/// configuration, fails at start (the host's ValidateOnStart step) on an unknown key and on a missing required setting,
/// naming them, keeps named instances from configuration apart, and never puts a token into an error or a log.
/// </summary>
public abstract class JwtSsoSourceRegistrationContract : JwtSsoCodeSourceRegistrationContract
{
    /// <summary>A JWT-shaped secret that must never show in errors or logs.</summary>
    protected const string Secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjb250cmFjdC1zZWNyZXQifQ.c2lnbmF0dXJlLXNlY3JldA";

    /// <summary>Gets the source's name in configuration (the value of the <c>Source</c> key).</summary>
    protected abstract string SourceName { get; }

    /// <summary>Gets valid settings of the source's section, keyed like the options' properties.</summary>
    protected abstract IReadOnlyDictionary<string, string?> ValidSettings { get; }

    /// <summary>Makes the source available to configuration (a package source's <c>services.AddJwtSsoTokenSource(XTokenSource.Descriptor)</c>); nothing for a built-in.</summary>
    protected virtual void RegisterForConfiguration(IServiceCollection services)
    {
    }

    [Fact]
    public async Task SourceKeyInConfiguration_CreatesTheSourceWithItsSettings()
    {
        await using var services = BuildFromConfiguration(Section("JwtSso", Value("from-configuration")));

        Validate(services);

        Assert.IsType(SourceType, services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));
        Assert.Equal(Value("from-configuration"), ReadDistinguishing(services, string.Empty));
    }

    [Fact]
    public async Task Start_UnknownKeyInSourceSection_FailsNamingTheKey()
    {
        var settings = Section("JwtSso", Value("x"));
        settings[$"JwtSso:{SourceName}:{DistinguishingKey}Typo"] = "value";
        await using var services = BuildFromConfiguration(settings);

        var ex = Assert.ThrowsAny<Exception>(() => Validate(services));

        Assert.Contains($"{DistinguishingKey}Typo", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"JwtSso:{SourceName}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RequiredSettingMissing_FailsNamingTheSetting()
    {
        var settings = Section("JwtSso", Value("x"));
        settings[$"JwtSso:{SourceName}:{RequiredKey}"] = string.Empty;
        await using var services = BuildFromConfiguration(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => Validate(services));

        Assert.Contains(RequiredKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains(SourceName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoNamedInstancesFromConfigurationAndCode_KeepTheirOwnOptions()
    {
        var settings = Section("Databases:Orders", Value("orders-value"));
        foreach (var (key, value) in Section("Databases:Billing", Value("billing-value")))
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = Build(s =>
        {
            RegisterForConfiguration(s);
            s.AddNpgsqlJwtSso(configuration.GetSection("Databases:Orders"), "orders");
            s.AddNpgsqlJwtSso(configuration.GetSection("Databases:Billing"), "billing");
            AddInCode(s.AddNpgsqlJwtSso("reports"), Value("reports-value"));
        });

        Validate(services);

        Assert.Equal(Value("orders-value"), ReadDistinguishing(services, "orders"));
        Assert.Equal(Value("billing-value"), ReadDistinguishing(services, "billing"));
        Assert.Equal(Value("reports-value"), ReadDistinguishing(services, "reports"));
        Assert.NotSame(services.GetRequiredKeyedService<JwtTokenSource>("orders"), services.GetRequiredKeyedService<JwtTokenSource>("billing"));
    }

    [Fact]
    public async Task Start_TokenInBadSettings_NeverInErrorsOrLogs()
    {
        var settings = Section("JwtSso", Value("x"));
        settings[$"JwtSso:{SourceName}:{Secret[..12]}"] = Secret;
        settings["JwtSso:SafetyMargin"] = Secret;
        var logs = new CapturingLoggerFactory();
        await using var services = BuildFromConfiguration(settings, logs);

        var ex = Assert.ThrowsAny<Exception>(() => Validate(services));
        var resolved = Record.Exception(() => services.GetRequiredKeyedService<JwtTokenSource>(string.Empty));

        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, resolved?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }

    /// <summary>The instance's section with <c>Source</c> set to this source and its valid settings.</summary>
    protected Dictionary<string, string?> Section(string path, string distinguishing)
    {
        var settings = new Dictionary<string, string?> { [$"{path}:Source"] = SourceName };
        foreach (var (key, value) in ValidSettings)
        {
            settings[$"{path}:{SourceName}:{key}"] = value;
        }

        settings[$"{path}:{SourceName}:{DistinguishingKey}"] = distinguishing;
        return settings;
    }

    private ServiceProvider BuildFromConfiguration(Dictionary<string, string?> settings, ILoggerFactory? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Build(
            s =>
            {
                RegisterForConfiguration(s);
                s.AddNpgsqlJwtSso(configuration.GetSection("JwtSso"));
            },
            logs);
    }

    private sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _lines.Enqueue(formatter(state, exception) + " " + exception);
    }
}
