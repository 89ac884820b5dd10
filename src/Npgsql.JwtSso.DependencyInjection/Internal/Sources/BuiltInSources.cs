using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal.Sources;

/// <summary>The descriptors of the core package's token sources.</summary>
internal static class BuiltInSources
{
    public static readonly StaticSource Static = new();
    public static readonly FileSource File = new();
    public static readonly EnvironmentSource Environment = new();
    public static readonly CommandSource Command = new();
    public static readonly GitHubActionsSource GitHubActions = new();
    public static readonly DelegateSource Delegate = new();

    internal static IEnumerable<string> Required(string? value, string key, string hint)
        => string.IsNullOrWhiteSpace(value) ? [$"{key} is required: {hint}."] : [];
}

internal sealed class StaticSource() : JwtTokenSourceDescriptor<StaticSourceOptions>("Static")
{
    protected internal override void Bind(IConfiguration configuration, StaticSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected internal override IEnumerable<string> Validate(StaticSourceOptions options)
        => BuiltInSources.Required(options.Token, nameof(options.Token), "set it to the compact JWT (tests and short jobs only: it is not renewed)");

    protected internal override JwtTokenSource Create(StaticSourceOptions options, JwtTokenSourceContext context) => new StaticTokenSource(options.Token!);
}

internal sealed class FileSource() : JwtTokenSourceDescriptor<FileSourceOptions>("File")
{
    protected internal override void Bind(IConfiguration configuration, FileSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected internal override IEnumerable<string> Validate(FileSourceOptions options)
        => BuiltInSources.Required(options.Path, nameof(options.Path), "set it to the file that holds the JWT (a projected service-account token, a sidecar's output)");

    protected internal override JwtTokenSource Create(FileSourceOptions options, JwtTokenSourceContext context) => new FileTokenSource(options.Path!);
}

internal sealed class EnvironmentSource() : JwtTokenSourceDescriptor<EnvironmentSourceOptions>("Environment")
{
    protected internal override void Bind(IConfiguration configuration, EnvironmentSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected internal override IEnumerable<string> Validate(EnvironmentSourceOptions options)
        => BuiltInSources.Required(options.VariableName, nameof(options.VariableName), "set it to the name of the environment variable that holds the JWT");

    protected internal override JwtTokenSource Create(EnvironmentSourceOptions options, JwtTokenSourceContext context) => new EnvironmentTokenSource(options.VariableName!);
}

internal sealed class CommandSource() : JwtTokenSourceDescriptor<CommandTokenSourceOptions>("Command")
{
    protected internal override void Bind(IConfiguration configuration, CommandTokenSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected internal override IEnumerable<string> Validate(CommandTokenSourceOptions options)
    {
        foreach (var problem in BuiltInSources.Required(options.FileName, nameof(options.FileName), "set it to the program that prints a JWT, for example 'gcloud'"))
        {
            yield return problem;
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            yield return $"Timeout must be more than zero and at most one hour; it is {options.Timeout}.";
        }
    }

    protected internal override JwtTokenSource Create(CommandTokenSourceOptions options, JwtTokenSourceContext context)
        => new CommandTokenSource(options, context.TimeProvider);
}

internal sealed class GitHubActionsSource() : JwtTokenSourceDescriptor<GitHubActionsSourceOptions>("GitHubActions")
{
    protected internal override void Bind(IConfiguration configuration, GitHubActionsSourceOptions options)
        => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);

    protected internal override IEnumerable<string> Validate(GitHubActionsSourceOptions options)
        => BuiltInSources.Required(options.Audience, nameof(options.Audience), "set it to the audience the cluster expects (server.jwt_authentication.audience)");

    protected internal override JwtTokenSource Create(GitHubActionsSourceOptions options, JwtTokenSourceContext context)
        => new GitHubActionsTokenSource(options.Audience!, context.HttpClient);
}

internal sealed class DelegateSource() : JwtTokenSourceDescriptor<DelegateSourceOptions>("Delegate")
{
    protected internal override void Bind(IConfiguration configuration, DelegateSourceOptions options)
        => throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, "The Delegate token source takes a function and has no configuration form; register it in code with AddDelegate.");

    protected internal override IEnumerable<string> Validate(DelegateSourceOptions options)
    {
        if (options.Fetch is null)
        {
            yield return "Fetch is required: pass the function that returns a compact JWT to AddDelegate.";
        }

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            yield return "Name is required: it names the source in logs, metrics and errors.";
        }
    }

    protected internal override JwtTokenSource Create(DelegateSourceOptions options, JwtTokenSourceContext context) => new DelegateTokenSource(options.Fetch!, options.Name);
}
