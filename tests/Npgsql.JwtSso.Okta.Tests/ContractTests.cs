using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.OAuth.Tests.Support;
using Npgsql.JwtSso.Okta.Tests.Support;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Okta.Tests;

/// <summary>The shared token-source contract for the Okta source against the emulated Okta org.</summary>
public sealed class OktaTokenSourceContractTests(IssuerFixture fixture) : TokenSourceContract, Xunit.IClassFixture<IssuerFixture>
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
