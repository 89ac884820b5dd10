using System.Security.Cryptography;
using Azure.Core.Pipeline;
using Npgsql.JwtSso.Azure;
using Npgsql.JwtSso.Gcp;
using Npgsql.JwtSso.OAuth;
using Npgsql.JwtSso.Okta;
using Npgsql.JwtSso.Testing;

namespace Npgsql.JwtSso.Benchmarks.Scenarios;

/// <summary>
/// Every provider pointed at the local issuer's vendor endpoints, and the cluster settings (issuers, audiences,
/// identity map) under which each provider's token logs in as <see cref="ScenarioBed.User"/>.
/// </summary>
public sealed class ProviderKit
{
    public static readonly IReadOnlyList<string> Names = ["generic", "gcp", "azure", "okta"];

    private const string GcpEmail = "bench@npgsql-jwtsso-test.iam.gserviceaccount.com";
    private const string GcpId = "108000000000000000099";
    private const string AzureAppUri = "api://crdb-bench";
    private const string AzureAppId = "c1a5e7e0-0000-4000-8000-0000000000b1";
    private const string AzureClientId = "a11ce000-0000-4000-8000-0000000000b2";
    private const string AzureObjectId = "4f0b2a6e-1c3d-4e5f-8a9b-0c1d2e3f4ab3";
    private const string OktaAudience = "api://default";

    private readonly LocalJwtIssuer _issuer;
    private readonly ScenarioContext _context;
    private readonly string _gcpKeyJson;
    private readonly string _azureSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string _oktaClientId = "0oa" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
    private readonly string _oktaSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public ProviderKit(LocalJwtIssuer issuer, ScenarioContext context)
    {
        _issuer = issuer;
        _context = context;
        context.RememberSecret(_azureSecret);
        context.RememberSecret(_oktaSecret);
        _gcpKeyJson = issuer.Gcp.CreateServiceAccountKeyJson(issuer.Gcp.AddServiceAccount(GcpEmail, GcpId));
        issuer.Entra.AddResource(AzureAppUri, AzureAppId);
        issuer.Entra.AddClientSecret(AzureClientId, _azureSecret, AzureObjectId);
        issuer.Okta.AddClient(new LocalOktaClient { ClientId = _oktaClientId, ClientSecret = _oktaSecret });
        // The Okta fake's per-minute token limit would turn the naive per-open rows into 429s; the point here is counting calls.
        issuer.Okta.TokenRateLimit = 1_000_000;
    }

    public string OktaIssuer => LocalOktaOrg.IssuerFor(_issuer.HttpUri, LocalOktaOrg.DefaultServerId).AbsoluteUri;

    /// <summary>The identity map (pg_ident syntax, map name = issuer) both the cluster and <see cref="JwtSsoOptions.IdentityMap"/> use.</summary>
    public string IdentityMap => string.Join('\n',
        $"{GcpFake.GoogleIssuer} {GcpId} {ScenarioBed.User}",
        $"{_issuer.Entra.V1Issuer} {AzureObjectId} {ScenarioBed.User}",
        $"{OktaIssuer} {_oktaClientId} {ScenarioBed.User}");

    /// <summary>The issuer endpoint each provider's token fetch hits (what "IdP calls" counts).</summary>
    public static string TokenEndpointName(string provider) => provider switch
    {
        "generic" => IssuerEndpointNames.Token,
        "gcp" => IssuerEndpointNames.GcpOAuthToken,
        "azure" => IssuerEndpointNames.EntraToken,
        "okta" => IssuerEndpointNames.OktaToken,
        _ => throw new ArgumentException($"Unknown provider '{provider}'; known: {string.Join(", ", Names)}.", nameof(provider)),
    };

    public void Configure(CockroachJwtSettings settings)
    {
        settings.Reset();
        settings.Enabled = true;
        settings.Jwks = _issuer.JwksJson;
        settings.IssuersConfiguration = Json([_issuer.Issuer, GcpFake.GoogleIssuer, _issuer.Entra.V1Issuer, OktaIssuer]);
        settings.Audience = Json([ScenarioBed.Audience, AzureAppUri, OktaAudience]);
        settings.IdentityMapConfiguration = IdentityMap;
    }

    /// <summary>A source for <paramref name="provider"/>, wrapped so that every token it returns is remembered (for the leak scan).</summary>
    public JwtTokenSource Create(string provider, TimeProvider time) => new RecordingTokenSource(CreateCore(provider, time), _context);

    private JwtTokenSource CreateCore(string provider, TimeProvider time) => provider switch
    {
        "generic" => Generic(time),
        "gcp" => new GcpTokenSource(new GcpTokenSourceOptions { Audience = ScenarioBed.Audience, CredentialJson = _gcpKeyJson }, time),
        "azure" => Azure(),
        "okta" => Okta(time),
        _ => throw new ArgumentException($"Unknown provider '{provider}'; known: {string.Join(", ", Names)}.", nameof(provider)),
    };

    private ClientCredentialsTokenSource Generic(TimeProvider time)
    {
        var options = new ClientCredentialsTokenSourceOptions
        {
            TokenEndpoint = new Uri(_issuer.HttpUri, "token"),
            ClientId = "bench-client",
            ClientSecret = "bench-secret",
        };
        return new ClientCredentialsTokenSource(options, (HttpClient?)null, time);
    }

    private AzureTokenSource Azure() => new(new AzureTokenSourceOptions
    {
        Scope = AzureAppUri + "/.default",
        CredentialKind = AzureCredentialKind.ClientSecret,
        TenantId = _issuer.Entra.TenantId,
        ClientId = AzureClientId,
        ClientSecret = _azureSecret,
        AuthorityHost = _issuer.HttpsUri,
        DisableInstanceDiscovery = true,
        ConfigureCredentialOptions = o =>
        {
            o.Transport = new HttpClientTransport(_issuer.CreateHttpClientHandler());
            o.Retry.MaxRetries = 0;
        },
    });

    private OktaTokenSource Okta(TimeProvider time)
    {
        var options = new OktaTokenSourceOptions { Issuer = new Uri(OktaIssuer), ClientId = _oktaClientId, ClientSecret = _oktaSecret };
        options.Scopes.Add("crdb.login");
        return new OktaTokenSource(options, (HttpClient?)null, time);
    }

    private static string Json(IEnumerable<string> values) => System.Text.Json.JsonSerializer.Serialize(values);
}
