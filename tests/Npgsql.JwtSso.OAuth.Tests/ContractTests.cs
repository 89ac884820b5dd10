using System.Net;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Tests.Shared;

namespace Npgsql.JwtSso.OAuth.Tests;

/// <summary>The shared token-source contract for the generic client-credentials source (stubbed HTTP).</summary>
public sealed class ClientCredentialsTokenSourceContractTests : TokenSourceContract
{
    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => new(Create(new StubHttpHandler().OnJson(TestTokens.TokenPath, HttpStatusCode.OK, TestTokens.TokenJson(token))));

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
        => new(Create(new StubHttpHandler().OnJson(TestTokens.TokenPath, HttpStatusCode.BadRequest, TestTokens.Error("invalid_grant", "Rejected assertion " + secret))));

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new(new HangingSource(Create(new StubHttpHandler { Hang = waiting }), waiting.Task));
    }

    private static ClientCredentialsTokenSource Create(StubHttpHandler handler)
        => new(ClientCredentialsTokenSourceOptionsTests.Valid(), handler, null);
}
