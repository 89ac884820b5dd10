namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>An immutable, interpreted copy of <see cref="CockroachJwtSettings"/> taken at the start of one login.</summary>
internal sealed class EmulatorSettings
{
    private EmulatorSettings()
    {
    }

    internal bool Enabled { get; private init; }

    internal CockroachJsonWebKeySet StaticKeys { get; private init; } = CockroachJsonWebKeySet.Empty;

    /// <summary>The issuers setting as a node reads it at login (crdb-jwt-server §2: map form, else array, else one literal).</summary>
    internal CockroachIssuersSetting Issuers { get; private init; } = CockroachIssuersSetting.Parse(string.Empty);

    internal IReadOnlyList<string> Audiences { get; private init; } = [];

    internal string Claim { get; private init; } = string.Empty;

    internal bool AutoFetch { get; private init; }

    internal TimeSpan ClientTimeout { get; private init; }

    internal string CustomCa { get; private init; } = string.Empty;

    internal bool RejectNon2xx { get; private init; }

    internal IdentityMap IdentityMap { get; private init; } = IdentityMap.Empty;

    internal string? IdentityMapError { get; private init; }

    internal CockroachJwtLoginFlow Flow { get; private init; }

    internal bool Insecure { get; private init; }

    internal static EmulatorSettings From(
        bool enabled, string jwks, string issuers, string audience, string claim, bool autoFetch, TimeSpan clientTimeout, string customCa, bool rejectNon2xx,
        string identityMap, bool mapIgnoreCase, CockroachJwtLoginFlow flow, bool insecure)
    {
        string? mapError = null;
        if (!IdentityMap.TryParse(identityMap, mapIgnoreCase, out var parsedMap, out mapError))
        {
            parsedMap = IdentityMap.Empty;
        }

        return new EmulatorSettings
        {
            Enabled = enabled,
            StaticKeys = CockroachJsonWebKeySet.TryParse(jwks, out var keys, out _) ? keys : CockroachJsonWebKeySet.Empty,
            Issuers = CockroachIssuersSetting.Parse(issuers),
            Audiences = CockroachAudienceSetting.Parse(audience),
            Claim = claim,
            AutoFetch = autoFetch,
            ClientTimeout = clientTimeout,
            CustomCa = customCa,
            RejectNon2xx = rejectNon2xx,
            IdentityMap = parsedMap,
            IdentityMapError = mapError,
            Flow = flow,
            Insecure = insecure,
        };
    }
}
