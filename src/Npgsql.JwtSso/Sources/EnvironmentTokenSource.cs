using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A source that reads the token from an environment variable on each call: for CI jobs and containers that are
/// handed a token by their launcher. An environment variable cannot be refreshed from outside the process, so this
/// suits short-lived programs.
/// </summary>
public sealed class EnvironmentTokenSource : JwtTokenSource
{
    private readonly string _variableName;

    /// <summary>Initializes a new instance of the <see cref="EnvironmentTokenSource"/> class.</summary>
    /// <param name="variableName">The environment variable that holds the token, for example <c>CRDB_JWT</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="variableName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="variableName"/> is empty, white space or contains <c>=</c>.</exception>
    public EnvironmentTokenSource(string variableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variableName);
        if (variableName.Contains('=', StringComparison.Ordinal) || variableName.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The environment variable name '{variableName}' is not valid: it must not contain '=' or a NUL character.", nameof(variableName));
        }

        _variableName = variableName;
        Name = $"env:{variableName}";
    }

    /// <inheritdoc />
    /// <value><c>env:</c> followed by the variable name.</value>
    public override string Name { get; }

    /// <summary>Gets the name of the environment variable that holds the token.</summary>
    public string VariableName => _variableName;

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The variable is not set or empty (<see cref="JwtSsoErrorKind.Configuration"/>), or does not hold a JWT (<see cref="JwtSsoErrorKind.InvalidToken"/>).</exception>
    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = Environment.GetEnvironmentVariable(_variableName);
        if (string.IsNullOrWhiteSpace(text))
        {
            var state = text is null ? "is not set" : "is empty";
            throw new JwtSsoException(
                JwtSsoErrorKind.Configuration,
                Name,
                $"{Name}: the environment variable {_variableName} {state}. Set it to the JWT before the program starts (for example `export {_variableName}=$(gcloud auth print-identity-token)`), or choose another token source.");
        }

        return ValueTask.FromResult(SourceTokens.Parse(
            Name,
            text,
            $"Check that {_variableName} holds the JWT itself (three base64url parts separated by dots), not an opaque access token or a file name."));
    }
}
