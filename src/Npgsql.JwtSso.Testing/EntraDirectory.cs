using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// The fake Microsoft Entra tenant behind the issuer's Entra-shaped endpoints (<see cref="LocalJwtIssuer.Entra"/>):
/// which resources (cluster app registrations) exist, and which clients (secret, certificate, federated workload
/// identity, managed identity) may get tokens for them. Thread-safe.
/// </summary>
/// <remarks>
/// Tokens carry what Entra puts in app-only access tokens: <c>aud</c> (v1: the resource as requested; v2: the resource
/// app's client id), <c>iss</c> (<see cref="V1Issuer"/> or <see cref="V2Issuer"/>), <c>sub</c> = <c>oid</c> (the
/// client's object id), <c>tid</c>, <c>appid</c>/<c>azp</c> and <c>ver</c>.
/// </remarks>
public sealed class EntraDirectory
{
    /// <summary>The audience of a federated (workload identity) assertion Entra accepts.</summary>
    public const string FederatedTokenAudience = "api://AzureADTokenExchange";

    private readonly ConcurrentDictionary<string, string> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EntraClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EntraClient> _managedIdentities = new(StringComparer.OrdinalIgnoreCase);
    private volatile EntraClient? _systemAssigned;
    private int _tokenVersion = 1;

    internal EntraDirectory()
    {
    }

    /// <summary>Gets or sets the tenant (directory) id: the path segment of the token endpoint and the <c>tid</c> claim.</summary>
    /// <value>The default value is <c>7e57e57e-0000-4000-8000-00000000e17a</c>.</value>
    public string TenantId { get; set; } = "7e57e57e-0000-4000-8000-00000000e17a";

    /// <summary>Gets or sets the access-token version issued (1 or 2), as the resource app's <c>accessTokenAcceptedVersion</c> would.</summary>
    /// <value>The default value is 1.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither 1 nor 2.</exception>
    public int TokenVersion
    {
        get => _tokenVersion;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 2);
            _tokenVersion = value;
        }
    }

    /// <summary>Gets or sets the <c>refresh_in</c> sent with tokens from the token endpoint (Entra's proactive-refresh hint).</summary>
    /// <value>The default value is <see langword="null"/>: no <c>refresh_in</c>.</value>
    public TimeSpan? RefreshIn { get; set; }

    /// <summary>Gets or sets the lifetime of the access tokens the Entra and managed-identity endpoints issue.</summary>
    /// <value>The default value is <see langword="null"/>: the issuer's <see cref="LocalJwtIssuerOptions.TokenLifetime"/>.</value>
    public TimeSpan? TokenLifetime { get; set; }

    /// <summary>Gets the secret the App Service managed-identity endpoint expects in <c>X-IDENTITY-HEADER</c> (the value of <c>IDENTITY_HEADER</c>).</summary>
    public string IdentityHeader { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Gets the v1 issuer, <c>https://sts.windows.net/{tenant}/</c>.</summary>
    public string V1Issuer => $"https://sts.windows.net/{TenantId}/";

    /// <summary>Gets the v2 issuer, <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string V2Issuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";

    /// <summary>Gets the issuer of the tokens issued now (<see cref="TokenVersion"/>).</summary>
    public string CurrentIssuer => TokenVersion == 2 ? V2Issuer : V1Issuer;

    /// <summary>
    /// Registers a resource app (the app registration that stands for the cluster): tokens may be requested for
    /// <paramref name="resource"/> (its Application ID URI) and for <paramref name="appClientId"/>.
    /// </summary>
    /// <param name="resource">The Application ID URI, e.g. <c>api://crdb-cluster</c>.</param>
    /// <param name="appClientId">The resource app's client id: the <c>aud</c> of v2 tokens.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public void AddResource(string resource, string appClientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(appClientId);
        _resources[resource.TrimEnd('/')] = appClientId;
        _resources[appClientId] = appClientId;
    }

    /// <summary>Registers an app that signs in with a client secret.</summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="secret">The secret value.</param>
    /// <param name="objectId">The service principal's object id: <c>sub</c> and <c>oid</c> of its tokens.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public void AddClientSecret(string clientId, string secret, string objectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Client(clientId, objectId).Secret = secret;
    }

    /// <summary>Registers an app that signs in with a certificate (client assertion signed by its key).</summary>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="certificate">The certificate (public part is enough).</param>
    /// <param name="objectId">The service principal's object id.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is null.</exception>
    public void AddClientCertificate(string clientId, X509Certificate2 certificate, string objectId)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Client(clientId, objectId).Certificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>Registers a federated identity credential (AKS workload identity): assertions from <paramref name="issuer"/> for <paramref name="subject"/>.</summary>
    /// <param name="clientId">The client id of the app or user-assigned identity.</param>
    /// <param name="issuer">The assertion issuer (the Kubernetes OIDC issuer; usually this issuer's <see cref="LocalJwtIssuer.Issuer"/>).</param>
    /// <param name="subject">The assertion subject, e.g. <c>system:serviceaccount:default:app</c>.</param>
    /// <param name="objectId">The identity's object id.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public void AddFederatedCredential(string clientId, string issuer, string subject, string objectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var client = Client(clientId, objectId);
        client.FederatedIssuer = issuer;
        client.FederatedSubject = subject;
    }

    /// <summary>Registers the managed identity the managed-identity endpoints serve.</summary>
    /// <param name="clientId">The user-assigned identity's client id, or <see langword="null"/> for the system-assigned one.</param>
    /// <param name="objectId">The identity's object id.</param>
    /// <exception cref="ArgumentException"><paramref name="objectId"/> is null or empty.</exception>
    public void AddManagedIdentity(string? clientId, string objectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        if (clientId is null)
        {
            _systemAssigned = new EntraClient(Guid.NewGuid().ToString(), objectId);
            return;
        }

        _managedIdentities[clientId] = new EntraClient(clientId, objectId);
    }

    internal bool TryGetResourceApp(string resource, out string appClientId)
        => _resources.TryGetValue(resource.TrimEnd('/'), out appClientId!);

    internal EntraClient? FindClient(string clientId) => _clients.GetValueOrDefault(clientId);

    internal EntraClient? FindManagedIdentity(string? clientId)
        => clientId is null ? _systemAssigned : _managedIdentities.GetValueOrDefault(clientId);

    private EntraClient Client(string clientId, string objectId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        return _clients.AddOrUpdate(clientId, id => new EntraClient(id, objectId), (_, existing) => existing.ObjectId == objectId ? existing : new EntraClient(clientId, objectId));
    }

    internal sealed class EntraClient(string clientId, string objectId)
    {
        internal string ClientId { get; } = clientId;

        internal string ObjectId { get; } = objectId;

        internal string? Secret { get; set; }

        internal X509Certificate2? Certificate { get; set; }

        internal string? FederatedIssuer { get; set; }

        internal string? FederatedSubject { get; set; }
    }
}
