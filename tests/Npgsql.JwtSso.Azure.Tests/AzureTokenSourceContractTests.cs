using Azure.Core;
using Azure.Identity;
using Npgsql.JwtSso.Azure.Tests.Support;

namespace Npgsql.JwtSso.Azure.Tests;

/// <summary>The shared source contract, with Azure.Identity's credential replaced by a scripted one.</summary>
public sealed class AzureTokenSourceContractTests : TokenSourceContract
{
    private const string Scope = EntraJwt.ClusterAppUri + "/.default";

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => ValueTask.FromResult<JwtTokenSource>(new AzureTokenSource(new FakeCredential(token), Scope));

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
    {
        // Entra echoing request material back is the worst case: the secret sits in both the outer and inner messages.
        var inner = new Microsoft.Identity.Client.MsalServiceException("invalid_client", $"AADSTS7000215: bad secret {secret}", 401);
        var failure = new AuthenticationFailedException($"ClientSecretCredential authentication failed: {secret}", inner);
        return ValueTask.FromResult<JwtTokenSource>(new AzureTokenSource(FakeCredential.Throwing(failure), Scope));
    }

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new AzureTokenSource(new HangingCredential(waiting), Scope);
        return ValueTask.FromResult<HangingSource?>(new HangingSource(source, waiting.Task));
    }

    private sealed class HangingCredential(TaskCompletionSource waiting) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
            => throw new InvalidOperationException("The source must use the async path.");

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            waiting.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
