using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>The shared source contract, for a service-account key against the fake Google token endpoint.</summary>
public sealed class GcpTokenSourceContractTests(GcpBedFixture fixture) : TokenSourceContract, IClassFixture<GcpBedFixture>
{
    private readonly GcpTestBed _bed = fixture.Bed;

    /// <summary>Google mints its own tokens (on the bed's clock); the given text is not what comes back.</summary>
    protected override bool ReturnsGivenToken => false;

    protected override DateTimeOffset ClockStart => _bed.Time.GetUtcNow();

    protected override ValueTask<JwtTokenSource> CreateSucceedingAsync(string token)
    {
        _bed.Reset();
        return ValueTask.FromResult<JwtTokenSource>(_bed.KeySource());
    }

    protected override ValueTask<JwtTokenSource> CreateFailingAsync(string secret)
    {
        _bed.Reset();
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.OAuthError("invalid_grant", 400, "Invalid JWT Signature. " + secret));
        return ValueTask.FromResult<JwtTokenSource>(_bed.KeySource());
    }

    protected override ValueTask<HangingSource?> CreateHangingAsync()
    {
        _bed.Reset();
        _bed.Issuer.Faults.Set(IssuerEndpointNames.GcpOAuthToken, IssuerFault.Hang());
        var waiting = Task.Run(async () =>
        {
            while (_bed.Calls(IssuerEndpointNames.GcpOAuthToken) == 0)
            {
                await Task.Delay(10);
            }
        });
        return ValueTask.FromResult<HangingSource?>(new HangingSource(_bed.KeySource(), waiting));
    }
}
