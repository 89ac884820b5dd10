namespace Npgsql.JwtSso.Internal;

/// <summary>
/// Stops a retry before the login: after the cluster rejected a token and the cache dropped it, the source handed back
/// the same token (it caches tokens itself). <see cref="JwtSsoDataSource"/> reports the original rejection instead.
/// </summary>
internal sealed class RejectedTokenHandedBackException : Exception
{
    public RejectedTokenHandedBackException()
        : base("The token source handed back the token the cluster had just rejected.")
    {
    }

    public RejectedTokenHandedBackException(string message)
        : base(message)
    {
    }

    public RejectedTokenHandedBackException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
