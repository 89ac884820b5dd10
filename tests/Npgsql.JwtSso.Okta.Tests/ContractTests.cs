using System.Net;
using Npgsql.JwtSso.Okta.Tests.Support;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Okta.Tests;

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

/// <summary>The shared token-source contract for the Okta source against the emulated Okta org.</summary>
public sealed class OktaTokenSourceContractTests(OktaFixture fixture) : TokenSourceContract, Xunit.IClassFixture<OktaFixture>
{
    protected override bool ReturnsGivenToken => false;

    protected override DateTimeOffset ClockStart => fixture.Time.GetUtcNow();

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
        => new(fixture.Source(fixture.AddClient()));

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
    {
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.OAuthError("invalid_client", 401, "Client assertion " + secret + " was rejected"), 1);
        return new(fixture.Source(fixture.AddClient()));
    }

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        var before = fixture.Issuer.RequestCount(IssuerEndpointNames.OktaToken);
        fixture.Issuer.Faults.Set(IssuerEndpointNames.OktaToken, IssuerFault.Hang(), 1);
        return new(new HangingSource(fixture.Source(fixture.AddClient()), ArrivedAsync(before)));
    }

    /// <summary>Completes once the token request has reached the fake Okta org (where it hangs), so the contract cancels a request in flight.</summary>
    private async Task ArrivedAsync(int before)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (fixture.Issuer.RequestCount(IssuerEndpointNames.OktaToken) == before)
        {
            await Task.Delay(10, guard.Token);
        }
    }
}
