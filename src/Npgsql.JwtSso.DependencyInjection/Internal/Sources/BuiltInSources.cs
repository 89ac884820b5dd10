using Microsoft.Extensions.Configuration;

namespace Npgsql.JwtSso.DependencyInjection.Internal.Sources;

/// <summary>The descriptors of the core package's token sources.</summary>
internal static class BuiltInSources
{
    public static readonly JwtTokenSourceDescriptor<StaticSourceOptions> Static = new(
        "Static",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        o => Required(o.Token, nameof(o.Token), "set it to the compact JWT (tests and short jobs only: it is not renewed)"),
        (o, _) => new StaticTokenSource(o.Token!));

    public static readonly JwtTokenSourceDescriptor<FileSourceOptions> File = new(
        "File",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        o => Required(o.Path, nameof(o.Path), "set it to the file that holds the JWT (a projected service-account token, a sidecar's output)"),
        (o, _) => new FileTokenSource(o.Path!));

    public static readonly JwtTokenSourceDescriptor<EnvironmentSourceOptions> Environment = new(
        "Environment",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        o => Required(o.VariableName, nameof(o.VariableName), "set it to the name of the environment variable that holds the JWT"),
        (o, _) => new EnvironmentTokenSource(o.VariableName!));

    public static readonly JwtTokenSourceDescriptor<CommandTokenSourceOptions> Command = new(
        "Command",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        o => Required(o.FileName, nameof(o.FileName), "set it to the program that prints a JWT, for example 'gcloud'")
            .Concat(o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromHours(1) ? [$"Timeout must be more than zero and at most one hour; it is {o.Timeout}."] : []),
        (o, context) => new CommandTokenSource(o, context.TimeProvider));

    public static readonly JwtTokenSourceDescriptor<GitHubActionsSourceOptions> GitHubActions = new(
        "GitHubActions",
        (configuration, options) => configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true),
        o => Required(o.Audience, nameof(o.Audience), "set it to the audience the cluster expects (server.jwt_authentication.audience)"),
        (o, context) => new GitHubActionsTokenSource(o.Audience!, context.HttpClient));

    /// <summary>Code only: a function has no configuration form, so binding it fails with a pointer to <c>AddDelegate</c>.</summary>
    public static readonly JwtTokenSourceDescriptor<DelegateSourceOptions> Delegate = new(
        "Delegate",
        (_, _) => throw new JwtSsoException(JwtSsoErrorKind.Configuration, null, "The Delegate token source takes a function and has no configuration form; register it in code with AddDelegate."),
        o => (o.Fetch is null ? ["Fetch is required: pass the function that returns a compact JWT to AddDelegate."] : Array.Empty<string>())
            .Concat(Required(o.Name, nameof(o.Name), "it names the source in logs, metrics and errors")),
        (o, _) => new DelegateTokenSource(o.Fetch!, o.Name));

    private static IEnumerable<string> Required(string? value, string key, string hint)
        => string.IsNullOrWhiteSpace(value) ? [$"{key} is required: {hint}."] : [];
}
