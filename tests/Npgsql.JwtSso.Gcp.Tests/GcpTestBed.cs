using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.Testing;
using Xunit;

namespace Npgsql.JwtSso.Gcp.Tests;

/// <summary>A local issuer with its GCP fake, on a fake clock shared by the issuer, the source and Google's library.</summary>
internal sealed class GcpTestBed : IAsyncDisposable
{
    internal const string Audience = "https://crdb.example.com/cluster-1";
    internal const string ServiceAccountEmail = "app@npgsql-jwtsso-test.iam.gserviceaccount.com";
    internal const string ServiceAccountId = "108000000000000000042";
    internal const string TargetEmail = "db-login@npgsql-jwtsso-test.iam.gserviceaccount.com";
    internal const string TargetId = "109000000000000000777";

    private GcpTestBed(LocalJwtIssuer issuer, FakeTimeProvider time)
    {
        Issuer = issuer;
        Time = time;
        Account = issuer.Gcp.AddServiceAccount(ServiceAccountEmail, ServiceAccountId);
        Target = issuer.Gcp.AddServiceAccount(TargetEmail, TargetId);
        KeyJson = issuer.Gcp.CreateServiceAccountKeyJson(Account);
    }

    internal static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    internal LocalJwtIssuer Issuer { get; }

    internal FakeTimeProvider Time { get; }

    internal GcpServiceAccount Account { get; }

    internal GcpServiceAccount Target { get; }

    internal string KeyJson { get; }

    internal static async Task<GcpTestBed> StartAsync(DateTimeOffset? start = null)
    {
        var time = new FakeTimeProvider(start ?? new DateTimeOffset(2031, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = time });
        return new GcpTestBed(issuer, time);
    }

    internal GcpTokenSource KeySource(Action<GcpTokenSourceOptions>? configure = null)
    {
        var options = new GcpTokenSourceOptions { Audience = Audience, CredentialJson = KeyJson };
        configure?.Invoke(options);
        return new GcpTokenSource(options, Time);
    }

    internal GcpTokenSource ImpersonatingSource(Action<GcpTokenSourceOptions>? configure = null)
        => KeySource(o =>
        {
            o.ImpersonateServiceAccount = TargetEmail;
            o.IamCredentialsEndpoint = Issuer.Gcp.IamCredentialsEndpoint;
            configure?.Invoke(o);
        });

    internal int Calls(string endpoint) => Issuer.RequestCount(endpoint);

    /// <summary>Clears faults and counters between tests that share this bed.</summary>
    internal void Reset()
    {
        Issuer.Faults.ClearAll();
        Issuer.ResetRequests();
    }

    public ValueTask DisposeAsync() => Issuer.DisposeAsync();
}

/// <summary>One bed per test class: starting Kestrel and making keys per test is what costs on a busy machine.</summary>
public sealed class GcpBedFixture : IAsyncLifetime
{
    internal GcpTestBed Bed { get; private set; } = null!;

    public async Task InitializeAsync() => Bed = await GcpTestBed.StartAsync();

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}
