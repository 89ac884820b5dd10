using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A source that always returns the same token: for development, tests and tools that were handed a token. It cannot
/// refresh, so connections fail once the token expires.
/// </summary>
public sealed class StaticTokenSource : JwtTokenSource
{
    private const string SourceName = "static";
    private readonly JwtToken _token;

    /// <summary>Initializes a new instance of the <see cref="StaticTokenSource"/> class.</summary>
    /// <param name="token">The token text (a compact JWS); validated now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="JwtSsoException"><paramref name="token"/> is not a JWT (<see cref="JwtSsoErrorKind.InvalidToken"/>).</exception>
    public StaticTokenSource(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _token = SourceTokens.Parse(
            SourceName,
            token,
            "Pass the token itself (three base64url parts separated by dots) to StaticTokenSource, not an opaque access token or a file name.");
    }

    /// <summary>Initializes a new instance of the <see cref="StaticTokenSource"/> class.</summary>
    /// <param name="token">The token.</param>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    public StaticTokenSource(JwtToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        _token = token;
    }

    /// <inheritdoc />
    /// <value><c>static</c>.</value>
    public override string Name => SourceName;

    /// <inheritdoc />
    public override ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_token);
    }
}
