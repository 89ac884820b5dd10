using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql.JwtSso.Testing.Internal;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// The fake Google Cloud identity services of a <see cref="LocalJwtIssuer"/>, shaped like Google's so that the real
/// Google.Apis.Auth library can be pointed at them: the metadata server (<see cref="MetadataHost"/> for
/// <c>GCE_METADATA_HOST</c>), the OAuth token endpoint named as <c>token_uri</c> in generated service-account keys,
/// and the IAM Credentials <c>generateIdToken</c> API (<see cref="IamCredentialsEndpoint"/>).
/// </summary>
/// <remarks>
/// ID tokens are minted by the issuer (its keys, its clock, its faults) with <c>iss</c> <see cref="GoogleIssuer"/>,
/// <c>aud</c> the requested audience, <c>sub</c> and <c>azp</c> the service account's numeric id, and <c>email</c> /
/// <c>email_verified</c> when the request asks for it.
/// </remarks>
public sealed class GcpFake
{
    /// <summary>The <c>iss</c> of Google-signed ID tokens.</summary>
    public const string GoogleIssuer = "https://accounts.google.com";

    /// <summary>The email of the service account the metadata server runs as, unless changed with <see cref="SetMetadataServiceAccount"/>.</summary>
    public const string DefaultServiceAccountEmail = "crdb-client@npgsql-jwtsso-test.iam.gserviceaccount.com";

    /// <summary>The numeric unique id of <see cref="DefaultServiceAccountEmail"/>.</summary>
    public const string DefaultServiceAccountId = "107100000000000000001";

    private readonly LocalJwtIssuer _issuer;
    private readonly ConcurrentDictionary<string, GcpServiceAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (string Email, RSAParameters Key)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Email, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Caller, string Target), bool> _grants = new();
    private volatile GcpServiceAccount _metadataAccount;

    internal GcpFake(LocalJwtIssuer issuer)
    {
        _issuer = issuer;
        _metadataAccount = AddServiceAccount(DefaultServiceAccountEmail, DefaultServiceAccountId);
    }

    /// <summary>Gets the value for the <c>GCE_METADATA_HOST</c> environment variable (<c>127.0.0.1:port</c>, no scheme).</summary>
    public string MetadataHost => _issuer.HttpUri.Authority;

    /// <summary>Gets the base address to use instead of <c>https://iamcredentials.googleapis.com</c>.</summary>
    public Uri IamCredentialsEndpoint => new(_issuer.HttpUri.GetLeftPart(UriPartial.Authority));

    /// <summary>Gets the <c>token_uri</c> written into generated service-account keys.</summary>
    public Uri OAuthTokenUri => new(_issuer.HttpUri, "gcp/oauth2/token");

    /// <summary>Gets the <c>token_url</c> of the fake Security Token Service for workload identity federation configurations.</summary>
    public Uri StsTokenUri => new(_issuer.HttpUri, "gcp/sts/v1/token");

    /// <summary>Gets the service account the metadata server's <c>default</c> account is.</summary>
    public GcpServiceAccount MetadataServiceAccount => _metadataAccount;

    /// <summary>Registers a service account (or returns the existing one with that email).</summary>
    /// <param name="email">The account's email.</param>
    /// <param name="uniqueId">Its numeric unique id (the <c>sub</c> of its ID tokens).</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentException">An argument is empty or <paramref name="uniqueId"/> is not all digits.</exception>
    public GcpServiceAccount AddServiceAccount(string email, string uniqueId)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        ArgumentException.ThrowIfNullOrEmpty(uniqueId);
        if (!uniqueId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"uniqueId '{uniqueId}' must be numeric, as Google's are.", nameof(uniqueId));
        }

        return _accounts.GetOrAdd(email, e => new GcpServiceAccount(e, uniqueId));
    }

    /// <summary>Makes the metadata server run as another registered service account.</summary>
    /// <param name="account">The account.</param>
    public void SetMetadataServiceAccount(GcpServiceAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _metadataAccount = AddServiceAccount(account.Email, account.UniqueId);
    }

    /// <summary>
    /// Creates a new key for a registered service account and returns the key file's JSON, whose <c>token_uri</c> is
    /// <see cref="OAuthTokenUri"/>. The fake verifies assertions against this key.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <returns>The key file content (contains a private key).</returns>
    public string CreateServiceAccountKeyJson(GcpServiceAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        AddServiceAccount(account.Email, account.UniqueId);
        using var rsa = RSA.Create(2048);
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        _keys[keyId] = (account.Email, rsa.ExportParameters(false));
        return JsonObjectWriter.ToJson(new Dictionary<string, object?>
        {
            ["type"] = "service_account",
            ["project_id"] = ProjectOf(account.Email),
            ["private_key_id"] = keyId,
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem() + "\n",
            ["client_email"] = account.Email,
            ["client_id"] = account.UniqueId,
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = OAuthTokenUri.ToString(),
            ["universe_domain"] = "googleapis.com",
        });
    }

    /// <summary>Deletes every key of a service account; assertions signed with them are then refused like Google does.</summary>
    /// <param name="account">The account.</param>
    public void DeleteKeys(GcpServiceAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        foreach (var (keyId, entry) in _keys)
        {
            if (string.Equals(entry.Email, account.Email, StringComparison.OrdinalIgnoreCase))
            {
                _keys.TryRemove(keyId, out _);
            }
        }
    }

    /// <summary>Grants <paramref name="caller"/> <c>roles/iam.serviceAccountOpenIdTokenCreator</c> on <paramref name="target"/>.</summary>
    /// <param name="caller">The identity calling <c>generateIdToken</c> (or the previous delegate).</param>
    /// <param name="target">The impersonated account (or the next delegate).</param>
    public void GrantTokenCreator(GcpServiceAccount caller, GcpServiceAccount target)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(target);
        _grants[(caller.Email.ToLowerInvariant(), target.Email.ToLowerInvariant())] = true;
    }

    /// <summary>
    /// Gets the federated identity (<c>principal://iam.googleapis.com/…/subject/SUB</c>) the fake STS gives a workload
    /// whose subject token has <c>sub</c> = <paramref name="subject"/>, for <see cref="GrantTokenCreator"/>.
    /// </summary>
    /// <param name="poolProviderAudience">The <c>audience</c> of the external-account configuration (the workload identity provider).</param>
    /// <param name="subject">The subject token's <c>sub</c>.</param>
    /// <returns>The principal, registered with the fake.</returns>
    public GcpServiceAccount FederatedPrincipal(string poolProviderAudience, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(poolProviderAudience);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var pool = poolProviderAudience.TrimStart('/');
        var providers = pool.IndexOf("/providers/", StringComparison.Ordinal);
        var name = $"principal://{(providers > 0 ? pool[..providers] : pool)}/subject/{subject}";
        return _accounts.GetOrAdd(name, n => new GcpServiceAccount(n, "0"));
    }

    internal GcpServiceAccount? FindAccount(string email) => _accounts.TryGetValue(email, out var a) ? a : null;

    internal RSAParameters? FindKey(string keyId) => _keys.TryGetValue(keyId, out var k) ? k.Key : null;

    internal bool IsGranted(string caller, string target) => _grants.ContainsKey((caller.ToLowerInvariant(), target.ToLowerInvariant()));

    internal (string AccessToken, long ExpiresIn) IssueAccessToken(GcpServiceAccount account)
    {
        var token = "ya29.fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _accessTokens[token] = (account.Email, _issuer.Time.GetUtcNow() + TimeSpan.FromSeconds(3599));
        return (token, 3599);
    }

    internal GcpServiceAccount? AccountOfAccessToken(string accessToken)
        => _accessTokens.TryGetValue(accessToken, out var entry) && entry.ExpiresAt > _issuer.Time.GetUtcNow()
            ? FindAccount(entry.Email)
            : null;

    internal JwtMintOptions IdTokenOptions(GcpServiceAccount account, string audience, bool includeEmail, string authorizedParty)
    {
        var options = new JwtMintOptions
        {
            Issuer = GoogleIssuer,
            Subject = account.UniqueId,
            Audience = audience,
            Lifetime = TimeSpan.FromHours(1),
            Claims = { ["azp"] = authorizedParty },
        };
        if (includeEmail)
        {
            options.Claims["email"] = account.Email;
            options.Claims["email_verified"] = true;
        }

        return options;
    }

    private static string ProjectOf(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var domain = at < 0 ? string.Empty : email[(at + 1)..];
        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? domain[..dot] : string.Create(CultureInfo.InvariantCulture, $"project-{domain.Length}");
    }
}

/// <summary>A service account known to the <see cref="GcpFake"/>.</summary>
public sealed class GcpServiceAccount
{
    internal GcpServiceAccount(string email, string uniqueId)
    {
        Email = email;
        UniqueId = uniqueId;
    }

    /// <summary>Gets the account's email.</summary>
    public string Email { get; }

    /// <summary>Gets the numeric unique id, the <c>sub</c> and <c>azp</c> of its ID tokens.</summary>
    public string UniqueId { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Email} ({UniqueId})";
}
