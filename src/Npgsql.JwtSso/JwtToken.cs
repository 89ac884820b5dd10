using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso;

/// <summary>
/// A JWT as obtained from an identity provider: the raw text plus what is read from its header and payload
/// <em>without</em> verifying the signature (verification is the cluster's job).
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never shows the token text: it prints the issuer, subject, expiry and a short
/// fingerprint (the first bytes of a SHA-256 hash), which is safe to log.
/// </remarks>
public sealed class JwtToken
{
    private static readonly string[] NoAudiences = [];
    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    private readonly JsonElement _payload;

    private JwtToken(string value, JsonElement header, JsonElement payload, DateTimeOffset? refreshOn)
    {
        Value = value;
        _payload = payload;
        RefreshOn = refreshOn;
        Algorithm = ReadString(header, "alg");
        KeyId = ReadString(header, "kid");
        Type = ReadString(header, "typ");
        Issuer = ReadString(payload, "iss");
        Subject = ReadString(payload, "sub");
        ExpiresOn = ReadNumericDate(payload, "exp");
        IssuedAt = ReadNumericDate(payload, "iat");
        NotBefore = ReadNumericDate(payload, "nbf");
        Audiences = ReadAudiences(payload);
    }

    /// <summary>Gets the raw compact JWS text: the password sent to the cluster. Treat it as a secret.</summary>
    public string Value { get; }

    /// <summary>Gets the <c>exp</c> claim, or <see langword="null"/> when the token has none (it then never expires on CockroachDB).</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>Gets the <c>iat</c> claim, if present.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>Gets the <c>nbf</c> claim, if present.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>Gets the <c>iss</c> claim, if present.</summary>
    public string? Issuer { get; }

    /// <summary>Gets the <c>sub</c> claim, if present.</summary>
    public string? Subject { get; }

    /// <summary>Gets the <c>aud</c> claim as a list (a single string becomes one element; absent becomes empty).</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>Gets the <c>alg</c> header parameter, if present.</summary>
    public string? Algorithm { get; }

    /// <summary>Gets the <c>kid</c> header parameter, if present. CockroachDB requires one.</summary>
    public string? KeyId { get; }

    /// <summary>Gets the <c>typ</c> header parameter, if present.</summary>
    public string? Type { get; }

    /// <summary>
    /// Gets a hint from the source for when the token should be refreshed (for example Azure's
    /// <c>AccessToken.RefreshOn</c>), or <see langword="null"/>. The refresh engine honours it when it is earlier
    /// than its own refresh point.
    /// </summary>
    public DateTimeOffset? RefreshOn { get; }

    /// <summary>Gets a short non-reversible fingerprint of the token (hex of the first 6 bytes of its SHA-256), safe to log.</summary>
    public string Fingerprint => ComputeFingerprint(Value);

    /// <summary>Parses a compact JWS whose payload is a JSON object.</summary>
    /// <param name="value">The token text. Surrounding white space (such as a trailing newline from a file) is removed.</param>
    /// <param name="refreshOn">An optional refresh hint from the source.</param>
    /// <returns>The parsed token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a compact JWS with a JSON object payload; the message never contains the text.</exception>
    public static JwtToken Parse(string value, DateTimeOffset? refreshOn = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, refreshOn, out var token, out var error)
            ? token
            : throw new FormatException(error);
    }

    /// <summary>Tries to parse a compact JWS whose payload is a JSON object.</summary>
    /// <param name="value">The token text.</param>
    /// <param name="token">The parsed token, when successful.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a well-formed JWT.</returns>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JwtToken? token)
        => TryParse(value, null, out token, out _);

    /// <summary>Tries to parse a compact JWS whose payload is a JSON object, with the reason when it is not one.</summary>
    /// <param name="value">The token text.</param>
    /// <param name="token">The parsed token, when successful.</param>
    /// <param name="error">
    /// A one-line reason naming what is wrong (not a JWT, a JWE, a header or payload that is not base64url JSON, a
    /// registered claim of the wrong type); empty on success. It never contains token material.
    /// </param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a well-formed JWT.</returns>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JwtToken? token, out string error)
        => TryParse(value, null, out token, out error);

    /// <summary>Returns a copy of this token carrying a different refresh hint.</summary>
    /// <param name="refreshOn">The new hint, or <see langword="null"/> for none.</param>
    /// <returns>A token with the same text and claims.</returns>
    public JwtToken WithRefreshOn(DateTimeOffset? refreshOn)
        => new(this, refreshOn);

    /// <summary>Looks up a top-level payload claim.</summary>
    /// <param name="name">The claim name, for example <c>email</c>.</param>
    /// <param name="value">The claim's JSON value.</param>
    /// <returns><see langword="true"/> when the claim is present.</returns>
    public bool TryGetClaim(string name, out JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _payload.TryGetProperty(name, out value);
    }

    /// <summary>
    /// Gets the principals CockroachDB derives from this token for the given claim
    /// (<c>server.jwt_authentication.claim</c>): <c>sub</c> (the default, also for an empty name) gives one
    /// principal (empty when absent); another claim gives one principal for a string or scalar and one per element
    /// for an array (non-strings in their JSON text form).
    /// </summary>
    /// <param name="claim">The claim name; <see langword="null"/> or empty means <c>sub</c>.</param>
    /// <returns>The principals, or <see langword="null"/> when a non-<c>sub</c> claim is missing (the cluster then answers "missing claim").</returns>
    public IReadOnlyList<string>? GetPrincipals(string? claim = null)
    {
        if (string.IsNullOrEmpty(claim) || claim == "sub")
        {
            return [Subject ?? string.Empty];
        }

        if (!_payload.TryGetProperty(claim, out var element))
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>(element.GetArrayLength());
            foreach (var item in element.EnumerateArray())
            {
                list.Add(ScalarText(item));
            }

            return list;
        }

        return [ScalarText(element)];
    }

    /// <summary>Returns a description that is safe to log: issuer, subject, expiry and fingerprint, never the token text.</summary>
    /// <returns>A redacted description.</returns>
    public override string ToString()
    {
        var exp = ExpiresOn is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "none";
        return $"JwtToken(iss={Issuer ?? "-"}, sub={Subject ?? "-"}, exp={exp}, fingerprint={Fingerprint})";
    }

    private JwtToken(JwtToken from, DateTimeOffset? refreshOn)
    {
        Value = from.Value;
        _payload = from._payload;
        RefreshOn = refreshOn;
        Algorithm = from.Algorithm;
        KeyId = from.KeyId;
        Type = from.Type;
        Issuer = from.Issuer;
        Subject = from.Subject;
        ExpiresOn = from.ExpiresOn;
        IssuedAt = from.IssuedAt;
        NotBefore = from.NotBefore;
        Audiences = from.Audiences;
    }

    internal static bool TryParse(string? value, DateTimeOffset? refreshOn, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JwtToken? token, out string error)
    {
        token = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "The token is empty.";
            return false;
        }

        value = value.Trim();
        var parts = value.Split('.');
        if (parts.Length != 3)
        {
            error = parts.Length == 5
                ? "The token is a JWE (encrypted, 5 parts); CockroachDB needs a signed JWT (compact JWS, 3 parts)."
                : $"The token is not a JWT: a compact JWS has 3 dot-separated parts, this text has {parts.Length}. Opaque access tokens cannot be verified by CockroachDB; configure the identity provider to issue JWTs.";
            return false;
        }

        if (!TryDecodeObject(parts[0], out var header))
        {
            error = "The token is not a JWT: its header is not base64url-encoded JSON.";
            return false;
        }

        if (!TryDecodeObject(parts[1], out var payload))
        {
            error = "The token is not a JWT: its payload is not a base64url-encoded JSON object.";
            return false;
        }

        if (!TryCheckClaimTypes(payload, out error))
        {
            return false;
        }

        token = new JwtToken(value, header, payload, refreshOn);
        error = string.Empty;
        return true;
    }

    internal static string ComputeFingerprint(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }

    private static bool TryCheckClaimTypes(JsonElement payload, out string error)
    {
        foreach (var name in (ReadOnlySpan<string>)["exp", "iat", "nbf"])
        {
            if (payload.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Number && e.ValueKind != JsonValueKind.Null)
            {
                error = $"The token's '{name}' claim is not a number (NumericDate); CockroachDB would reject it.";
                return false;
            }

            if (e.ValueKind == JsonValueKind.Number && !IsRepresentableDate(e))
            {
                error = $"The token's '{name}' claim is not a date between the years 1 and 9999 (NumericDate seconds since 1970); the identity provider issued a malformed token.";
                return false;
            }
        }

        if (payload.TryGetProperty("aud", out var aud) && aud.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
        {
            error = "The token's 'aud' claim is neither a string nor an array of strings; CockroachDB would reject it.";
            return false;
        }

        if (aud.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in aud.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    error = "The token's 'aud' array holds a value that is not a string; CockroachDB would reject it.";
                    return false;
                }
            }
        }

        error = string.Empty;
        return true;
    }

    private static bool IsRepresentableDate(JsonElement number)
    {
        if (number.TryGetInt64(out var whole))
        {
            return whole >= MinUnixSeconds && whole <= MaxUnixSeconds;
        }

        return number.TryGetDouble(out var seconds) && double.IsFinite(seconds) && Math.Floor(seconds) >= MinUnixSeconds && Math.Floor(seconds) <= MaxUnixSeconds;
    }

    private static bool TryDecodeObject(string part, out JsonElement element)
    {
        element = default;
        try
        {
            var bytes = Base64Url.DecodeFromChars(part);
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            element = doc.RootElement.Clone();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ReadString(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    private static DateTimeOffset? ReadNumericDate(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        var seconds = v.TryGetInt64(out var whole) ? whole : (long)Math.Floor(v.GetDouble());
        if (seconds == 0)
        {
            return null; // jwx treats 0 as absent
        }

        seconds = Math.Clamp(seconds, DateTimeOffset.MinValue.ToUnixTimeSeconds(), DateTimeOffset.MaxValue.ToUnixTimeSeconds());
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static string[] ReadAudiences(JsonElement payload)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return NoAudiences;
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Select(a => a.GetString() ?? string.Empty)],
            _ => NoAudiences,
        };
    }

    private static string ScalarText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "<nil>",
        _ => element.GetRawText(),
    };
}
