namespace Npgsql.JwtSso;

/// <summary>
/// The single failure type of Npgsql.JwtSso. The message says what failed and what to check; it never contains
/// token text. The vendor's own exception, if any, is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class JwtSsoException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="JwtSsoException"/> class.</summary>
    public JwtSsoException()
        : this(JwtSsoErrorKind.SourceFailed, null, "A JWT single sign-on operation failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JwtSsoException"/> class.</summary>
    /// <param name="message">The message; must not contain token text.</param>
    public JwtSsoException(string message)
        : this(JwtSsoErrorKind.SourceFailed, null, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JwtSsoException"/> class.</summary>
    /// <param name="message">The message; must not contain token text.</param>
    /// <param name="innerException">The underlying failure.</param>
    public JwtSsoException(string message, Exception? innerException)
        : this(JwtSsoErrorKind.SourceFailed, null, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JwtSsoException"/> class.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="sourceName">The <see cref="JwtTokenSource.Name"/> of the source involved, if any.</param>
    /// <param name="message">The message; must not contain token text.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public JwtSsoException(JwtSsoErrorKind kind, string? sourceName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        SourceName = sourceName;
    }

    /// <summary>Gets what went wrong.</summary>
    public JwtSsoErrorKind Kind { get; }

    /// <summary>Gets the name of the token source involved, or <see langword="null"/>.</summary>
    public string? SourceName { get; }

    /// <summary>
    /// Gets a delay the source asked for before the next attempt (HTTP <c>Retry-After</c>, Okta
    /// <c>X-Rate-Limit-Reset</c>; read them with <see cref="JwtSsoRetryAfter"/>), or <see langword="null"/>. The refresh
    /// engine does not retry sooner, but caps the delay at <see cref="JwtTokenCacheOptions.MaxRetryDelay"/>, at the rate limit's
    /// pace while no usable token is left, and keeps one attempt shortly before the current token becomes unusable.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether trying again later may succeed (outages, throttling) as opposed to a configuration error.</summary>
    public bool IsTransient { get; init; }
}
