using System.Collections.Concurrent;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// The state of the emulated Okta org behind <see cref="LocalJwtIssuer.Okta"/>: custom authorization servers, apps, and the
/// rate-limit bucket that all custom servers' token endpoints share (as in Okta).
/// </summary>
public sealed class LocalOktaOrg
{
    /// <summary>The id of the authorization server that exists from the start.</summary>
    public const string DefaultServerId = "default";

    private readonly ConcurrentDictionary<string, LocalOktaServer> _servers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalOktaClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _usedAssertionIds = new(StringComparer.Ordinal);
    private readonly Internal.RateBucket _tokenBucket = new(600);
    private readonly Internal.RateBucket _metadataBucket = new(10_000);

    internal LocalOktaOrg()
    {
        AddAuthorizationServer(DefaultServerId, "api://default", ["crdb.login"]);
    }

    /// <summary>Gets or sets how many token requests the shared bucket allows per one-minute window; further requests get HTTP 429.</summary>
    /// <value>The default value is 600.</value>
    public int TokenRateLimit
    {
        get => _tokenBucket.Limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _tokenBucket.Limit = value;
        }
    }

    /// <summary>Adds (or replaces) a custom authorization server.</summary>
    /// <param name="id">The server id, the <c>{id}</c> of <c>/oauth2/{id}</c>.</param>
    /// <param name="audience">The audience of its tokens.</param>
    /// <param name="scopes">The scopes defined on it.</param>
    /// <param name="tokenLifetime">The access-token lifetime of its policy rule; <see langword="null"/> for the issuer's default.</param>
    public void AddAuthorizationServer(string id, string audience, IEnumerable<string> scopes, TimeSpan? tokenLifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        ArgumentNullException.ThrowIfNull(scopes);
        _servers[id] = new LocalOktaServer(id, audience, [.. scopes], tokenLifetime);
    }

    /// <summary>Registers (or replaces) an app.</summary>
    /// <param name="client">The app.</param>
    public void AddClient(LocalOktaClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _clients[client.ClientId] = client;
    }

    /// <summary>Gets the issuer URL of a custom authorization server on the given base address.</summary>
    /// <param name="baseUri">The issuer's <see cref="LocalJwtIssuer.HttpUri"/> or <see cref="LocalJwtIssuer.HttpsUri"/>.</param>
    /// <param name="authorizationServerId">The server id.</param>
    /// <returns><c>{base}/oauth2/{id}</c>.</returns>
    public static Uri IssuerFor(Uri baseUri, string authorizationServerId)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(authorizationServerId);
        return new Uri($"{baseUri.GetLeftPart(UriPartial.Authority)}/oauth2/{authorizationServerId}");
    }

    internal LocalOktaServer? FindServer(string id) => _servers.GetValueOrDefault(id);

    internal LocalOktaClient? FindClient(string id) => _clients.GetValueOrDefault(id);

    internal bool TryUseAssertionId(string jti) => _usedAssertionIds.TryAdd(jti, 0);

    internal Internal.RateBucket.Outcome Take(bool tokenEndpoint, DateTimeOffset now)
        => (tokenEndpoint ? _tokenBucket : _metadataBucket).Take(now);
}

/// <summary>A custom authorization server of the emulated org.</summary>
internal sealed record LocalOktaServer(string Id, string Audience, IReadOnlyList<string> Scopes, TimeSpan? TokenLifetime);
