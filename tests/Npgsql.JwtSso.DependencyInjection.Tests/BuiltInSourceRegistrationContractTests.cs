using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql.JwtSso.DependencyInjection.Internal.Sources;
using Npgsql.JwtSso.Tests.Shared;
using Xunit;

namespace Npgsql.JwtSso.Tests.DependencyInjection;

public sealed class StaticSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "Static";

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddTokenSource(BuiltInSources.Static, _ => { });

    protected override Type SourceType => typeof(StaticTokenSource);

    protected override string RequiredKey => "Token";

    protected override string DistinguishingKey => "Token";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["Token"] = "t" };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<StaticSourceOptions>>().Get(instance).Token;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddStaticToken(distinguishing);

    private readonly Dictionary<string, string> _tokens = [];

    // The source takes a JWT; one per label (each carries a fresh jti).
    protected override string Value(string label)
        => _tokens.TryGetValue(label, out var token) ? token : _tokens[label] = TestJwt.WithExpiry(DateTimeOffset.UnixEpoch.AddYears(60), TimeSpan.FromHours(1), sub: label);
}

public sealed class FileSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "File";

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddTokenSource(BuiltInSources.File, _ => { });

    protected override Type SourceType => typeof(FileTokenSource);

    protected override string RequiredKey => "Path";

    protected override string DistinguishingKey => "Path";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["Path"] = "/var/run/token" };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<FileSourceOptions>>().Get(instance).Path;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddTokenFile(distinguishing);
}

public sealed class EnvironmentSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "Environment";

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddTokenSource(BuiltInSources.Environment, _ => { });

    protected override Type SourceType => typeof(EnvironmentTokenSource);

    protected override string RequiredKey => "VariableName";

    protected override string DistinguishingKey => "VariableName";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["VariableName"] = "CRDB_JWT" };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<EnvironmentSourceOptions>>().Get(instance).VariableName;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddEnvironmentToken(distinguishing);
}

public sealed class CommandSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "Command";

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddTokenSource(BuiltInSources.Command, _ => { });

    protected override Type SourceType => typeof(CommandTokenSource);

    protected override string RequiredKey => "FileName";

    protected override string DistinguishingKey => "FileName";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["FileName"] = "gcloud", ["Timeout"] = "00:00:10" };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<CommandTokenSourceOptions>>().Get(instance).FileName;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddCommand(o => o.FileName = distinguishing);
}

public sealed class GitHubActionsSourceRegistrationContractTests : JwtSsoSourceRegistrationContract
{
    protected override string SourceName => "GitHubActions";

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddTokenSource(BuiltInSources.GitHubActions, _ => { });

    protected override Type SourceType => typeof(GitHubActionsTokenSource);

    protected override string RequiredKey => "Audience";

    protected override string DistinguishingKey => "Audience";

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?> { ["Audience"] = "crdb" };

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<GitHubActionsSourceOptions>>().Get(instance).Audience;

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddGitHubActions(distinguishing);
}

/// <summary>
/// The code rows only: a delegate has no configuration form, so the configuration rows of
/// <see cref="JwtSsoSourceRegistrationContract"/> do not apply; naming it in configuration fails at start instead (below).
/// </summary>
public sealed class DelegateSourceRegistrationContractTests : JwtSsoCodeSourceRegistrationContract
{
    protected override Type SourceType => typeof(DelegateTokenSource);

    protected override string RequiredKey => "Fetch";

    protected override string DistinguishingKey => "Name";

    protected override string? ReadDistinguishing(IServiceProvider services, string instance) => services.GetRequiredService<IOptionsMonitor<DelegateSourceOptions>>().Get(instance).Name;

    protected override void AddWithoutSettings(IJwtSsoBuilder builder) => builder.AddTokenSource(BuiltInSources.Delegate, _ => { });

    protected override void AddInCode(IJwtSsoBuilder builder, string distinguishing) => builder.AddDelegate(_ => ValueTask.FromResult("unused"), distinguishing);

    [Fact]
    public async Task Start_DelegateNamedInConfiguration_FailsSayingItHasNoConfigurationForm()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["JwtSso:Source"] = "Delegate", ["JwtSso:Delegate:Name"] = "bot" }).Build();
        await using var services = Build(s =>
        {
            s.AddNpgsqlJwtSso("in-code").AddDelegate(_ => ValueTask.FromResult("unused"));
            s.AddNpgsqlJwtSso(configuration.GetSection("JwtSso"));
        });

        var ex = Assert.ThrowsAny<Exception>(() => Validate(services));

        Assert.Contains("has no configuration form", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AddDelegate", ex.Message, StringComparison.Ordinal);
    }
}
