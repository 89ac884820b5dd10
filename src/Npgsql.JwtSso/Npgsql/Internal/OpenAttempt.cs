namespace Npgsql.JwtSso.Internal;

/// <summary>
/// Carries, from the password provider back to <see cref="JwtSsoDataSource"/>, which token one open sent. The holder
/// flows down through an <see cref="AsyncLocal{T}"/>; the provider mutates it, so the caller sees the result.
/// </summary>
internal sealed class OpenAttempt
{
    private static readonly AsyncLocal<OpenAttempt?> CurrentAttempt = new();

    public static OpenAttempt? Current
    {
        get => CurrentAttempt.Value;
        set => CurrentAttempt.Value = value;
    }

    public JwtToken? Token { get; private set; }

    public bool FromCache { get; private set; }

    /// <summary>Gets the token the cluster rejected and that the retry must not send again (set only while retrying).</summary>
    public JwtToken? MustNotResend { get; private set; }

    /// <exception cref="RejectedTokenHandedBackException">The retry was handed the very token the cluster just rejected.</exception>
    public void Record(JwtToken token, bool fromCache)
    {
        if (MustNotResend is { } rejected && (ReferenceEquals(rejected, token) || rejected.Fingerprint == token.Fingerprint))
        {
            throw new RejectedTokenHandedBackException();
        }

        Token = token;
        FromCache = fromCache;
    }

    public void Reset(JwtToken? mustNotResend)
    {
        Token = null;
        FromCache = false;
        MustNotResend = mustNotResend;
    }
}
