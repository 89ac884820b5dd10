using Azure.Core;

namespace Npgsql.JwtSso.Azure.Tests.Support;

/// <summary>A <see cref="TokenCredential"/> that records each request and answers from a callback.</summary>
internal sealed class FakeCredential : TokenCredential
{
    private readonly Func<TokenRequestContext, CancellationToken, AccessToken> _answer;
    private readonly List<TokenRequestContext> _requests = [];

    internal FakeCredential(Func<TokenRequestContext, CancellationToken, AccessToken> answer) => _answer = answer;

    internal FakeCredential(string token, DateTimeOffset? refreshOn = null)
        : this((_, _) => new AccessToken(token, DateTimeOffset.FromUnixTimeSeconds(4_102_444_800), refreshOn))
    {
    }

    internal IReadOnlyList<TokenRequestContext> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    internal static FakeCredential Throwing(Exception exception) => new((_, _) => throw exception);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => throw new InvalidOperationException("The source must use the async path.");

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(requestContext);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_answer(requestContext, cancellationToken));
    }
}
