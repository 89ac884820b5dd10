namespace Npgsql.JwtSso.Testing;

/// <summary>
/// What <see cref="LocalJwtIssuer.MintToken(JwtMintOptions)"/> puts in a token. Every property has a usable default,
/// so <c>new JwtMintOptions { Subject = "alice", Audience = "crdb" }</c> is a complete request.
/// </summary>
public sealed class JwtMintOptions
{
    /// <summary>The <c>aud</c> that <see cref="JwtDefects.WrongAudience"/> puts in the token.</summary>
    public const string WrongAudienceValue = "urn:npgsql-jwtsso:testing:wrong-audience";

    /// <summary>The <c>iss</c> that <see cref="JwtDefects.WrongIssuer"/> puts in the token.</summary>
    public const string WrongIssuerValue = "https://wrong-issuer.invalid";

    /// <summary>Gets or sets the <c>iss</c> claim.</summary>
    /// <value>The default value is <see langword="null"/>: the issuer's <see cref="LocalJwtIssuer.Issuer"/>.</value>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the <c>sub</c> claim.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="LocalJwtIssuerOptions.DefaultSubject"/>.</value>
    public string? Subject { get; set; }

    /// <summary>Gets or sets a single <c>aud</c> claim (written as a JSON string). Do not combine with <see cref="Audiences"/>.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="LocalJwtIssuerOptions.DefaultAudience"/> unless <see cref="Audiences"/> is set.</value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets several audiences (written as a JSON array, even with one element). Do not combine with <see cref="Audience"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<string>? Audiences { get; set; }

    /// <summary>Gets or sets the token lifetime: <c>exp</c> = <c>iat</c> + lifetime.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="LocalJwtIssuerOptions.TokenLifetime"/>.</value>
    public TimeSpan? Lifetime { get; set; }

    /// <summary>Gets or sets the <c>iat</c> claim.</summary>
    /// <value>The default value is <see langword="null"/>: the issuer's clock (<see cref="LocalJwtIssuer.Time"/>) now.</value>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>Gets or sets the <c>nbf</c> claim.</summary>
    /// <value>The default value is <see langword="null"/>: no <c>nbf</c> claim.</value>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>
    /// Gets extra payload claims, added after the standard ones and overriding them on a name clash. Values may be
    /// any JSON-serializable object (string, number, bool, array, dictionary, <see cref="System.Text.Json.JsonElement"/>…);
    /// a <see langword="null"/> value removes the claim (e.g. <c>Claims = { ["iat"] = null }</c>).
    /// </summary>
    public IDictionary<string, object?> Claims { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>
    /// Gets extra or overriding JOSE header parameters (applied last, after <see cref="Defects"/>); a <see langword="null"/>
    /// value removes the parameter (e.g. <c>Header = { ["typ"] = null }</c>).
    /// </summary>
    public IDictionary<string, object?> Header { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Gets or sets the key id of a published key to sign with.</summary>
    /// <value>The default value is <see langword="null"/>: the issuer's <see cref="LocalJwtIssuer.DefaultKey"/>.</value>
    public string? KeyId { get; set; }

    /// <summary>Gets or sets a key to sign with, published or not; overrides <see cref="KeyId"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public LocalSigningKey? SigningKey { get; set; }

    /// <summary>Gets or sets deliberate defects to build a token that must be rejected.</summary>
    /// <value>The default value is <see cref="JwtDefects.None"/>.</value>
    public JwtDefects Defects { get; set; }

    /// <summary>Returns a copy (claims and header dictionaries copied shallowly).</summary>
    /// <returns>A new options object with the same values.</returns>
    public JwtMintOptions Clone()
    {
        var copy = new JwtMintOptions
        {
            Issuer = Issuer,
            Subject = Subject,
            Audience = Audience,
            Audiences = Audiences,
            Lifetime = Lifetime,
            IssuedAt = IssuedAt,
            NotBefore = NotBefore,
            KeyId = KeyId,
            SigningKey = SigningKey,
            Defects = Defects,
        };
        foreach (var pair in Claims)
        {
            copy.Claims[pair.Key] = pair.Value;
        }

        foreach (var pair in Header)
        {
            copy.Header[pair.Key] = pair.Value;
        }

        return copy;
    }
}
