namespace Npgsql.JwtSso.Testing;

/// <summary>
/// A misbehaviour for one endpoint of the <see cref="LocalJwtIssuer"/>, set through <see cref="IssuerFaults.Set(string, IssuerFault)"/>.
/// Create one with the static factory methods.
/// </summary>
public sealed class IssuerFault
{
    private IssuerFault(IssuerFaultKind kind, int statusCode = 200, TimeSpan delay = default, string? error = null, string? errorDescription = null, int chunkSize = 0)
    {
        ChunkSize = chunkSize;
        Kind = kind;
        StatusCode = statusCode;
        Delay = delay;
        Error = error;
        ErrorDescription = errorDescription;
    }

    /// <summary>Gets the kind of misbehaviour.</summary>
    public IssuerFaultKind Kind { get; }

    /// <summary>Gets the HTTP status the fault answers with: 200 for faults that keep the normal response, 0 when no response is sent (<see cref="IssuerFaultKind.Hang"/>, <see cref="IssuerFaultKind.ConnectionReset"/>).</summary>
    public int StatusCode { get; }

    /// <summary>Gets the delay of the fault: the <c>Retry-After</c> value, the latency, or the pause between body chunks.</summary>
    public TimeSpan Delay { get; }

    internal string? Error { get; }

    internal int ChunkSize { get; }

    internal string? ErrorDescription { get; }

    /// <summary>An error status with a JSON error body.</summary>
    /// <param name="statusCode">The status, 500–599.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not a 5xx status.</exception>
    public static IssuerFault ServerError(int statusCode = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new IssuerFault(IssuerFaultKind.ServerError, statusCode);
    }

    /// <summary>429 Too Many Requests with <c>Retry-After</c> in whole seconds.</summary>
    /// <param name="retryAfter">The value of <c>Retry-After</c>, rounded up to whole seconds.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public static IssuerFault TooManyRequests(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return new IssuerFault(IssuerFaultKind.TooManyRequests, 429, retryAfter);
    }

    /// <summary>An OAuth 2.0 error response, e.g. <c>invalid_client</c> with 401 for a wrong client secret.</summary>
    /// <param name="error">The <c>error</c> code.</param>
    /// <param name="statusCode">The status, 400–499.</param>
    /// <param name="description">The <c>error_description</c>, if any.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentException"><paramref name="error"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not a 4xx status.</exception>
    public static IssuerFault OAuthError(string error = "invalid_grant", int statusCode = 400, string? description = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 499);
        return new IssuerFault(IssuerFaultKind.OAuthError, statusCode, default, error, description);
    }

    /// <summary>Never answers: the request stays open until the client aborts it (a client timeout) or the issuer stops.</summary>
    /// <returns>The fault.</returns>
    public static IssuerFault Hang() => new(IssuerFaultKind.Hang, 0);

    /// <summary>Sends the normal status and headers at once, then the body a few bytes at a time.</summary>
    /// <param name="pauseBetweenChunks">The real-time pause before each chunk.</param>
    /// <param name="chunkSize">The bytes per chunk.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative pause or a chunk size below 1.</exception>
    public static IssuerFault SlowBody(TimeSpan pauseBetweenChunks, int chunkSize = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pauseBetweenChunks, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        return new IssuerFault(IssuerFaultKind.SlowBody, 200, pauseBetweenChunks, chunkSize: chunkSize);
    }

    /// <summary>200 with <c>Content-Type: application/json</c> and a body that is not valid JSON.</summary>
    /// <returns>The fault.</returns>
    public static IssuerFault GarbageJson() => new(IssuerFaultKind.GarbageJson);

    /// <summary>The normal response, carrying a token that is not a JWT (not three base64url parts).</summary>
    /// <returns>The fault.</returns>
    public static IssuerFault NonJwtToken() => new(IssuerFaultKind.NonJwtToken);

    /// <summary>The normal response, carrying a token whose <c>exp</c> already passed on the issuer's clock.</summary>
    /// <returns>The fault.</returns>
    public static IssuerFault ExpiredToken() => new(IssuerFaultKind.ExpiredToken);

    /// <summary>The normal response after a real-time delay (the delay ends early if the client aborts).</summary>
    /// <param name="delay">The added delay.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static IssuerFault Latency(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new IssuerFault(IssuerFaultKind.Latency, 200, delay);
    }

    /// <summary>Aborts the connection without sending a response (the client sees a reset / unexpected end of stream).</summary>
    /// <returns>The fault.</returns>
    public static IssuerFault ConnectionReset() => new(IssuerFaultKind.ConnectionReset, 0);

    /// <summary>Describes the fault, e.g. <c>ServerError(503)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Kind switch
    {
        IssuerFaultKind.ServerError => $"ServerError({StatusCode})",
        IssuerFaultKind.TooManyRequests => FormattableString.Invariant($"TooManyRequests(Retry-After {Delay.TotalSeconds}s)"),
        IssuerFaultKind.OAuthError => $"OAuthError({StatusCode} {Error})",
        IssuerFaultKind.Latency => FormattableString.Invariant($"Latency({Delay.TotalMilliseconds}ms)"),
        IssuerFaultKind.SlowBody => FormattableString.Invariant($"SlowBody({ChunkSize} bytes every {Delay.TotalMilliseconds}ms)"),
        _ => Kind.ToString(),
    };
}
