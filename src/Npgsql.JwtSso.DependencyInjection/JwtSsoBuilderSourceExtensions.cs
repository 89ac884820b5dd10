using Microsoft.Extensions.DependencyInjection;

namespace Npgsql.JwtSso;

/// <summary>Chooses one of the core package's token sources for a JWT single sign-on instance.</summary>
public static class JwtSsoBuilderSourceExtensions
{
    /// <summary>Uses a fixed token (tests, short-lived jobs); the instance fails once it expires.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="token">The compact JWT.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddStaticToken(this IJwtSsoBuilder builder, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return builder.AddTokenSource(_ => new StaticTokenSource(token));
    }

    /// <summary>Reads the token from a file that another process keeps fresh (a Kubernetes projected token, a sidecar).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file path.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddTokenFile(this IJwtSsoBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return builder.AddTokenSource(_ => new FileTokenSource(path));
    }

    /// <summary>Reads the token from an environment variable.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="variableName">The variable name.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddEnvironmentToken(this IJwtSsoBuilder builder, string variableName)
    {
        ArgumentNullException.ThrowIfNull(variableName);
        return builder.AddTokenSource(_ => new EnvironmentTokenSource(variableName));
    }

    /// <summary>Runs a command that prints the token (a vendor CLI, a credential helper).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the command, its arguments and timeout.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddCommand(this IJwtSsoBuilder builder, Action<CommandTokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddTokenSource(sp =>
        {
            var options = new CommandTokenSourceOptions();
            configure(options);
            return new CommandTokenSource(options, sp.GetService<TimeProvider>());
        });
    }

    /// <summary>Requests GitHub Actions OIDC tokens (the workflow needs <c>permissions: id-token: write</c>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="audience">The audience the cluster expects (<c>server.jwt_authentication.audience</c>).</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddGitHubActions(this IJwtSsoBuilder builder, string audience)
    {
        ArgumentNullException.ThrowIfNull(audience);
        return builder.AddTokenSource(_ => new GitHubActionsTokenSource(audience));
    }

    /// <summary>Calls <paramref name="fetch"/> for each new token (any SDK, any identity provider).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="fetch">Returns a compact JWT.</param>
    /// <param name="name">The source name used in logs, metrics and errors.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddDelegate(this IJwtSsoBuilder builder, Func<CancellationToken, ValueTask<string>> fetch, string name = "delegate")
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(name);
        return builder.AddTokenSource(_ => new DelegateTokenSource(fetch, name));
    }

    /// <summary>Uses a token source created by the container (constructor parameters resolved from services).</summary>
    /// <typeparam name="TSource">The token source type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder, so that additional calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IJwtSsoBuilder AddTokenSource<TSource>(this IJwtSsoBuilder builder)
        where TSource : JwtTokenSource
        => builder.AddTokenSource(sp => ActivatorUtilities.CreateInstance<TSource>(sp));
}
