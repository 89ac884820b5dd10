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

    public void Record(JwtToken token, bool fromCache)
    {
        Token = token;
        FromCache = fromCache;
    }

    public void Reset()
    {
        Token = null;
        FromCache = false;
    }
}
