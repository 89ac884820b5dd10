namespace Npgsql.JwtSso;

/// <summary>
/// The plug-in point of Npgsql.JwtSso: obtains a JWT from an identity provider.
/// </summary>
/// <remarks>
/// A source is called only by the library's refresh engine, never once per connection: the engine caches the
/// token, refreshes it before it expires, single-flights concurrent callers and backs off on failures. A source
/// therefore does not need its own cache, and should simply fetch a fresh token each time it is asked.
/// Implementations must honour <see cref="CancellationToken"/> and must never put the token text into an
/// exception message or a log line.
/// </remarks>
public abstract class JwtTokenSource
{
    /// <summary>Initializes a new instance of the <see cref="JwtTokenSource"/> class.</summary>
    protected JwtTokenSource()
    {
    }

    /// <summary>
    /// Gets a short, human-readable name for this source, used in error messages, logs and telemetry
    /// (for example <c>gcp</c>, <c>azure</c>, <c>okta</c> or <c>file:/var/run/token</c>). It must never contain secrets.
    /// </summary>
    /// <value>The default value is the type name without a <c>TokenSource</c> suffix.</value>
    public virtual string Name
    {
        get
        {
            var name = GetType().Name;
            return name.EndsWith("TokenSource", StringComparison.Ordinal) && name.Length > "TokenSource".Length
                ? name[..^"TokenSource".Length]
                : name;
        }
    }

    /// <summary>Fetches a fresh token from the identity provider.</summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The token, parsed with <see cref="JwtToken.Parse(string, DateTimeOffset?)"/>.</returns>
    /// <exception cref="JwtSsoException">The identity provider refused or failed; the message says what to check.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public abstract ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Name;
}
