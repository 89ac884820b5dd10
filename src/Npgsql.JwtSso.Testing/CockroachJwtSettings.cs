using System.Globalization;
using System.Text.Json;
using Npgsql.JwtSso.Testing.Internal.Emulator;

namespace Npgsql.JwtSso.Testing;

/// <summary>
/// The cluster settings of an emulated CockroachDB node (<c>server.jwt_authentication.*</c>,
/// <c>server.identity_map.configuration</c>) plus the emulator's behaviour switches. Thread-safe; changes apply to the
/// next login, as on a real cluster.
/// </summary>
/// <remarks>
/// The string properties hold raw setting values and are interpreted at login time with the cluster's runtime rules
/// (an unparseable JWKS becomes an empty set, an unparseable identity map an empty map). <see cref="Set"/> applies the
/// stricter checks <c>SET CLUSTER SETTING</c> does.
/// </remarks>
public sealed class CockroachJwtSettings
{
    private const string DefaultJwks = """{"keys":[]}""";
    private readonly Lock _lock = new();
    private State _state = new();

    /// <summary>Gets or sets <c>server.jwt_authentication.enabled</c>.</summary>
    /// <value>Default <see langword="false"/>: every JWT login fails with <c>JWT authentication: not enabled</c>.</value>
    public bool Enabled { get => Read().Enabled; set => Write(s => s with { Enabled = value }); }

    /// <summary>Gets or sets <c>server.jwt_authentication.jwks</c>: a JWK Set or a single JWK, as JSON.</summary>
    /// <value>Default <c>{"keys":[]}</c>.</value>
    public string Jwks { get => Read().Jwks; set => Write(s => s with { Jwks = value ?? DefaultJwks }); }

    /// <summary>
    /// Gets or sets <c>server.jwt_authentication.issuers.configuration</c>: one issuer, a JSON array of issuers, or
    /// <c>{"issuer_jwks_map":{"&lt;iss&gt;":"&lt;jwks url&gt;"}}</c>.
    /// </summary>
    /// <value>Default empty, which accepts only tokens whose issuer is empty or absent.</value>
    public string IssuersConfiguration { get => Read().Issuers; set => Write(s => s with { Issuers = value ?? string.Empty }); }

    /// <summary>Gets or sets <c>server.jwt_authentication.audience</c>: one audience or a JSON array.</summary>
    /// <value>Default empty, which accepts only tokens with an empty-string audience.</value>
    public string Audience { get => Read().Audience; set => Write(s => s with { Audience = value ?? string.Empty }); }

    /// <summary>Gets or sets <c>server.jwt_authentication.claim</c>, the claim holding the principal.</summary>
    /// <value>Default empty, meaning <c>sub</c>.</value>
    public string Claim { get => Read().Claim; set => Write(s => s with { Claim = value ?? string.Empty }); }

    /// <summary>Gets or sets <c>server.jwt_authentication.jwks_auto_fetch.enabled</c>: fetch keys from the issuer's discovery document (or the issuer→JWKS map) on every login.</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool JwksAutoFetchEnabled { get => Read().AutoFetch; set => Write(s => s with { AutoFetch = value }); }

    /// <summary>Gets or sets <c>server.jwt_authentication.client.timeout</c>, the timeout of each discovery/JWKS request.</summary>
    /// <value>Default 15 seconds.</value>
    public TimeSpan ClientTimeout
    {
        get => Read().ClientTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            Write(s => s with { ClientTimeout = value });
        }
    }

    /// <summary>
    /// Gets or sets <c>server.jwt_authentication.issuers.custom_ca</c>: PEM certificates that become the only trusted
    /// roots for HTTPS discovery/JWKS requests (ignored when <see cref="CockroachJwtEmulatorOptions.JwksHttpHandler"/> is set).
    /// </summary>
    /// <value>Default empty: the system roots.</value>
    public string IssuersCustomCa { get => Read().CustomCa; set => Write(s => s with { CustomCa = value ?? string.Empty }); }

    /// <summary>
    /// Gets or sets a value indicating whether a non-2xx discovery/JWKS response is an explicit
    /// <c>HTTP request failed</c> error (CockroachDB 26.2 and later) instead of a body that fails to parse (26.1 and
    /// earlier). Either way the client sees <c>unable to validate token</c>; the difference is in
    /// <see cref="CockroachJwtRejection.LogDetail"/>.
    /// </summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool RejectNon2xxJwksResponses { get => Read().RejectNon2xx; set => Write(s => s with { RejectNon2xx = value }); }

    /// <summary>Gets or sets <c>server.identity_map.configuration</c> (pg_ident syntax; the map name is the token issuer).</summary>
    /// <value>Default empty.</value>
    public string IdentityMapConfiguration { get => Read().IdentityMap; set => Write(s => s with { IdentityMap = value ?? string.Empty }); }

    /// <summary>Gets or sets a value indicating whether identity-map rules match case-insensitively (CockroachDB 26.1 and later).</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool IdentityMapIgnoresCase { get => Read().MapIgnoreCase; set => Write(s => s with { MapIgnoreCase = value }); }

    /// <summary>Gets or sets when the token is requested relative to the user checks.</summary>
    /// <value>Default <see cref="CockroachJwtLoginFlow.RequestTokenFirst"/> (25.4 and later).</value>
    public CockroachJwtLoginFlow LoginFlow { get => Read().Flow; set => Write(s => s with { Flow = value }); }

    /// <summary>
    /// Gets or sets a value indicating whether the node behaves as if started with <c>--insecure</c>: no password is
    /// requested, the token is ignored and any existing user logs in.
    /// </summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool Insecure { get => Read().Insecure; set => Write(s => s with { Insecure = value }); }

    /// <summary>Restores every setting to its default.</summary>
    public void Reset() => Write(_ => new State());

    /// <summary>
    /// Sets a cluster setting by its CockroachDB name with the validation <c>SET CLUSTER SETTING</c> applies, so tests
    /// can configure the emulator and a real cluster the same way.
    /// </summary>
    /// <param name="name">
    /// The setting name: <c>server.jwt_authentication.enabled</c>, <c>.jwks</c>, <c>.issuers.configuration</c> (or its
    /// alias <c>.issuers</c>), <c>.audience</c>, <c>.claim</c>, <c>.jwks_auto_fetch.enabled</c>, <c>.client.timeout</c>, <c>.issuers.custom_ca</c>,
    /// or <c>server.identity_map.configuration</c>.
    /// </param>
    /// <param name="value">The value as it would appear in the SQL statement, without quotes.</param>
    /// <exception cref="ArgumentException">The name is unknown or the value is rejected; the message is the cluster's.</exception>
    public void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        switch (name.ToLowerInvariant())
        {
            case "server.jwt_authentication.enabled":
                Enabled = ParseBool(name, value);
                break;
            case "server.jwt_authentication.jwks":
                if (!CockroachJsonWebKeySet.TryParse(value, out _, out _))
                {
                    throw new ArgumentException("JWT authentication JWKS not a valid JWKS", nameof(value));
                }

                Jwks = value;
                break;
            case "server.jwt_authentication.issuers.configuration" or "server.jwt_authentication.issuers":
                if (!CockroachIssuersSetting.IsValid(value, out var issuersError))
                {
                    throw new ArgumentException(issuersError, nameof(value));
                }

                IssuersConfiguration = value;
                break;
            case "server.jwt_authentication.audience":
                if (!CockroachAudienceSetting.IsValid(value, out var audienceError))
                {
                    throw new ArgumentException(audienceError, nameof(value));
                }

                Audience = value;
                break;
            case "server.jwt_authentication.claim":
                Claim = value;
                break;
            case "server.jwt_authentication.jwks_auto_fetch.enabled":
                JwksAutoFetchEnabled = ParseBool(name, value);
                break;
            case "server.jwt_authentication.client.timeout":
                ClientTimeout = ParseDuration(value);
                break;
            case "server.jwt_authentication.issuers.custom_ca" or "server.jwt_authentication.issuer_custom_ca":
                if (value.Length > 0 && JwksHttpClients.ParseRoots(value).Count == 0)
                {
                    throw new ArgumentException("JWT authentication issuer custom CA certificate not valid", nameof(value));
                }

                IssuersCustomCa = value;
                break;
            case "server.identity_map.configuration":
                if (!IdentityMap.TryParse(value, IdentityMapIgnoresCase, out _, out var error))
                {
                    throw new ArgumentException(error, nameof(value));
                }

                IdentityMapConfiguration = value;
                break;
            default:
                throw new ArgumentException($"unknown cluster setting '{name}' (the emulator supports server.jwt_authentication.* and server.identity_map.configuration)", nameof(name));
        }
    }

    internal EmulatorSettings Snapshot()
    {
        var state = Read();
        return EmulatorSettings.From(
            state.Enabled, state.Jwks, state.Issuers, state.Audience, state.Claim, state.AutoFetch, state.ClientTimeout, state.CustomCa, state.RejectNon2xx,
            state.IdentityMap, state.MapIgnoreCase, state.Flow, state.Insecure);
    }

    private static bool ParseBool(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "on" or "1" or "t" or "yes" => true,
        "false" or "off" or "0" or "f" or "no" => false,
        _ => throw new ArgumentException($"setting '{name}': invalid boolean value '{value}'", nameof(value)),
    };

    private static TimeSpan ParseDuration(string value)
    {
        var text = value.Trim();
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return TimeSpan.FromMilliseconds(n * ms);
            }
        }

        throw new ArgumentException($"invalid duration '{value}': write it like 15s or 500ms", nameof(value));
    }

    private State Read()
    {
        lock (_lock)
        {
            return _state;
        }
    }

    private void Write(Func<State, State> change)
    {
        lock (_lock)
        {
            _state = change(_state);
        }
    }

    private sealed record State
    {
        public bool Enabled { get; init; }

        public string Jwks { get; init; } = DefaultJwks;

        public string Issuers { get; init; } = string.Empty;

        public string Audience { get; init; } = string.Empty;

        public string Claim { get; init; } = string.Empty;

        public bool AutoFetch { get; init; }

        public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(15);

        public string CustomCa { get; init; } = string.Empty;

        public bool RejectNon2xx { get; init; }

        public string IdentityMap { get; init; } = string.Empty;

        public bool MapIgnoreCase { get; init; }

        public CockroachJwtLoginFlow Flow { get; init; } = CockroachJwtLoginFlow.RequestTokenFirst;

        public bool Insecure { get; init; }
    }
}
