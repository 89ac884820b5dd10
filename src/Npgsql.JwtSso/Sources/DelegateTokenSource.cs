using System.Runtime.CompilerServices;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A source backed by your own code: a delegate that returns the token text (or a <see cref="JwtToken"/> with a refresh
/// hint). The delegate is called once per refresh, never once per connection.
/// </summary>
/// <remarks>
/// A lambda that fits both delegate types (one that only throws, such as <c>_ =&gt; throw new NotSupportedException()</c>)
/// binds to the <see cref="string"/> overload (C# 13 or later).
/// </remarks>
public sealed class DelegateTokenSource : JwtTokenSource
{
    private const string DefaultName = "delegate";
    private readonly Func<CancellationToken, ValueTask<JwtToken>> _fetch;
    private readonly string _name;

    /// <summary>Initializes a new instance of the <see cref="DelegateTokenSource"/> class named <c>delegate</c>.</summary>
    /// <param name="fetch">Returns a fresh token text (a compact JWS) each time it is called; must honour the cancellation token.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> is <see langword="null"/>.</exception>
    [OverloadResolutionPriority(1)]
    public DelegateTokenSource(Func<CancellationToken, ValueTask<string>> fetch)
        : this(fetch, DefaultName)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DelegateTokenSource"/> class named <c>delegate</c>.</summary>
    /// <param name="fetch">Returns a fresh token each time it is called (use <see cref="JwtToken.Parse(string, DateTimeOffset?)"/> to attach a refresh hint); must honour the cancellation token.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> is <see langword="null"/>.</exception>
    public DelegateTokenSource(Func<CancellationToken, ValueTask<JwtToken>> fetch)
        : this(fetch, DefaultName)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DelegateTokenSource"/> class.</summary>
    /// <param name="fetch">Returns a fresh token text (a compact JWS) each time it is called; must honour the cancellation token.</param>
    /// <param name="name">The name used in messages, logs and telemetry; must not contain secrets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    [OverloadResolutionPriority(1)]
    public DelegateTokenSource(Func<CancellationToken, ValueTask<string>> fetch, string name)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        _fetch = async cancellationToken =>
        {
            var text = await fetch(cancellationToken).ConfigureAwait(false);
            return text is null
                ? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, _name, $"{_name}: the token delegate returned null. Return the token text, or throw to report a failure.")
                : SourceTokens.Parse(_name, text, "Check that the delegate returns the JWT itself (three base64url parts separated by dots), not an opaque access token.");
        };
    }

    /// <summary>Initializes a new instance of the <see cref="DelegateTokenSource"/> class.</summary>
    /// <param name="fetch">Returns a fresh token each time it is called (use <see cref="JwtToken.Parse(string, DateTimeOffset?)"/> to attach a refresh hint); must honour the cancellation token.</param>
    /// <param name="name">The name used in messages, logs and telemetry; must not contain secrets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fetch"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public DelegateTokenSource(Func<CancellationToken, ValueTask<JwtToken>> fetch, string name)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        _fetch = async cancellationToken =>
            await fetch(cancellationToken).ConfigureAwait(false)
            ?? throw new JwtSsoException(JwtSsoErrorKind.SourceFailed, _name, $"{_name}: the token delegate returned null. Return a token, or throw to report a failure.");
    }

    /// <inheritdoc />
    public override string Name => _name;

    /// <inheritdoc />
    /// <exception cref="JwtSsoException">The delegate failed (its exception is the inner exception) or returned something that is not a JWT.</exception>
    public override async ValueTask<JwtToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await _fetch(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Cancelled by something other than our caller: typically an HttpClient timeout inside the delegate.
            throw new JwtSsoException(
                JwtSsoErrorKind.Timeout,
                _name,
                $"{_name}: the token delegate was cancelled without being asked to (a timeout inside the delegate?); see the inner exception.",
                ex)
            { IsTransient = true };
        }
        catch (Exception ex) when (ex is not (JwtSsoException or OperationCanceledException))
        {
            // The delegate's own message is left to the inner exception: only the type name goes into ours.
            throw new JwtSsoException(
                JwtSsoErrorKind.SourceFailed,
                _name,
                $"{_name}: the token delegate failed with {ex.GetType().Name}; see the inner exception.",
                ex);
        }
    }
}
