namespace Npgsql.JwtSso.DependencyInjection.Internal.Sources;

/// <summary>Settings of <see cref="StaticTokenSource"/>: <c>"Static": { "Token": "…" }</c>.</summary>
internal sealed class StaticSourceOptions
{
    public string? Token { get; set; }
}

/// <summary>Settings of <see cref="FileTokenSource"/>: <c>"File": { "Path": "…" }</c>.</summary>
internal sealed class FileSourceOptions
{
    public string? Path { get; set; }
}

/// <summary>Settings of <see cref="EnvironmentTokenSource"/>: <c>"Environment": { "VariableName": "…" }</c>.</summary>
internal sealed class EnvironmentSourceOptions
{
    public string? VariableName { get; set; }
}

/// <summary>Settings of <see cref="GitHubActionsTokenSource"/>: <c>"GitHubActions": { "Audience": "…" }</c>.</summary>
internal sealed class GitHubActionsSourceOptions
{
    public string? Audience { get; set; }
}

/// <summary>Settings of <see cref="DelegateTokenSource"/> (code only: a delegate has no configuration form).</summary>
internal sealed class DelegateSourceOptions
{
    public Func<CancellationToken, ValueTask<string>>? Fetch { get; set; }

    public string Name { get; set; } = "delegate";
}
