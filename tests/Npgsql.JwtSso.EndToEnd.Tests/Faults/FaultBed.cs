using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Gcp;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;

namespace Npgsql.JwtSso.EndToEnd.Tests.Faults;

/// <summary>Where a provider is pointed: the issuer as configured, a closed port, or https the client does not trust.</summary>
public enum FaultEndpoint
{
    Normal,
    Refused,
    UntrustedTls,
}

/// <summary>
/// One local issuer for the fault suite, on a fake clock shared with the caches under test (so backoff, Retry-After
/// and source timeouts are driven, never slept), and each provider wired to its vendor endpoint.
/// </summary>
public sealed class FaultBed : IAsyncLifetime
{
    public const string Audience = "crdb-faults";
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan SourceTimeout = TimeSpan.FromSeconds(10);

    private const string GcpEmail = "faults@npgsql-jwtsso-test.iam.gserviceaccount.com";
    private const string AzureAppUri = "api://crdb-faults";
    private const string AzureSecret = "faults~secret-value";
    private const string OktaClientId = "0oafaults000000001";
    private const string OktaSecret = "okta-faults-secret-value";

    private string _gcpKeyJson = null!;

    public TestTime Time { get; } = new(DateTimeOffset.UtcNow);

    public LocalJwtIssuer Issuer { get; private set; } = null!;

    /// <summary>A loopback port nothing listens on.</summary>
    public int ClosedPort { get; private set; }

    public async Task InitializeAsync()
    {
        Issuer = await LocalJwtIssuer.StartAsync(new LocalJwtIssuerOptions { TimeProvider = Time, DefaultSubject = "faults", DefaultAudience = Audience });
        _gcpKeyJson = Issuer.Gcp.CreateServiceAccountKeyJson(Issuer.Gcp.AddServiceAccount(GcpEmail, "108000000000000000777"));
        Issuer.Entra.AddResource(AzureAppUri, "c1a5e7e0-0000-4000-8000-0000000000f2");
        Issuer.Okta.AddClient(new LocalOktaClient { ClientId = OktaClientId, ClientSecret = OktaSecret });
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        ClosedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public async Task DisposeAsync() => await Issuer.DisposeAsync();

    public void Reset()
    {
        Issuer.Faults.ClearAll();
        Issuer.ResetRequests();
    }

    public static string TokenEndpointName(string provider) => provider switch
    {
        "generic" => IssuerEndpointNames.Token,
        "gcp" => IssuerEndpointNames.GcpOAuthToken,
        "azure" => IssuerEndpointNames.EntraToken,
        "okta" => IssuerEndpointNames.OktaToken,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    public int Calls(string provider) => Issuer.RequestCount(TokenEndpointName(provider));

    public JwtTokenCache CreateCache(string provider, FaultEndpoint endpoint = FaultEndpoint.Normal) => new(CreateSource(provider, endpoint), new JwtSsoOptions
    {
        SourceTimeout = SourceTimeout,
        AcquireTimeout = TimeSpan.FromMinutes(5),
        MinRetryDelay = TimeSpan.FromSeconds(1),
        MaxRetryDelay = TimeSpan.FromMinutes(2),
    }, Time);

    public JwtTokenSource CreateSource(string provider, FaultEndpoint endpoint = FaultEndpoint.Normal) => provider switch
    {
        "generic" => Generic(endpoint),
        "gcp" => Gcp(endpoint),
        "azure" => Azure(endpoint),
        "okta" => Okta(endpoint),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    private Uri Base(FaultEndpoint endpoint) => endpoint switch
    {
        FaultEndpoint.Refused => new Uri($"http://127.0.0.1:{ClosedPort}/"),
        FaultEndpoint.UntrustedTls => Issuer.HttpsUri,
        _ => Issuer.HttpUri,
    };

    private ClientCredentialsTokenSource Generic(FaultEndpoint endpoint) => new(
        new ClientCredentialsTokenSourceOptions { TokenEndpoint = new Uri(Base(endpoint), "token"), ClientId = "faults-client", ClientSecret = "faults-client-secret" },
        (HttpClient?)null,
        Time);

    private GcpTokenSource Gcp(FaultEndpoint endpoint)
    {
        var json = JsonNode.Parse(_gcpKeyJson)!;
        if (endpoint != FaultEndpoint.Normal)
        {
            var tokenUri = new Uri(json["token_uri"]!.GetValue<string>());
            json["token_uri"] = new Uri(Base(endpoint), tokenUri.PathAndQuery).AbsoluteUri;
        }

        return new GcpTokenSource(new GcpTokenSourceOptions { Audience = Audience, CredentialJson = json.ToJsonString() }, Time);
    }

    /// <remarks>
    /// A new client id per source: MSAL remembers a 429's Retry-After process-wide (per client, authority and scope) on
    /// the real clock, which would otherwise throttle every later test.
    /// </remarks>
    private AzureTokenSource Azure(FaultEndpoint endpoint)
    {
        var clientId = Guid.NewGuid().ToString();
        Issuer.Entra.AddClientSecret(clientId, AzureSecret, "4f0b2a6e-1c3d-4e5f-8a9b-0c1d2e3f4af3");
        return Azure(endpoint, clientId);
    }

    private AzureTokenSource Azure(FaultEndpoint endpoint, string clientId) => new(new AzureTokenSourceOptions
    {
        Scope = AzureAppUri + "/.default",
        CredentialKind = AzureCredentialKind.ClientSecret,
        TenantId = Issuer.Entra.TenantId,
        ClientId = clientId,
        ClientSecret = AzureSecret,
        AuthorityHost = endpoint == FaultEndpoint.Refused ? new Uri($"https://127.0.0.1:{ClosedPort}/") : Issuer.HttpsUri,
        DisableInstanceDiscovery = true,
        ConfigureCredentialOptions = o =>
        {
            if (endpoint != FaultEndpoint.UntrustedTls)
            {
                o.Transport = new HttpClientTransport(Issuer.CreateHttpClientHandler());
            }
        },
    });

    private OktaTokenSource Okta(FaultEndpoint endpoint)
    {
        var options = new OktaTokenSourceOptions
        {
            Issuer = LocalOktaOrg.IssuerFor(Base(endpoint), LocalOktaOrg.DefaultServerId),
            ClientId = OktaClientId,
            ClientSecret = OktaSecret,
        };
        options.Scopes.Add("crdb.login");
        return new OktaTokenSource(options, (HttpClient?)null, Time);
    }
}
