using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso;

/// <summary>
/// A JWK Set with the key selection and signature rules of lestrrat-go/jwx v2 as CockroachDB calls it: mandatory
/// <c>kid</c>, only the first key with that kid tried (and none left when its <c>use</c> is not <c>sig</c>), the key's
/// <c>alg</c> winning over the header's, and algorithm inference by key type when the key has none. Error texts are
/// the server's DETAIL text after <c>unable to parse token: </c>.
/// </summary>
public sealed class CockroachJsonWebKeySet
{
    private const string CouldNotVerify = "could not verify message using any of the signatures or keys";

    private CockroachJsonWebKeySet(IReadOnlyList<CockroachJsonWebKey> keys) => Keys = keys;

    /// <summary>Gets the empty key set (what a node uses when the <c>jwks</c> setting does not parse).</summary>
    public static CockroachJsonWebKeySet Empty { get; } = new([]);

    /// <summary>Gets the keys in document order.</summary>
    public IReadOnlyList<CockroachJsonWebKey> Keys { get; }

    /// <summary>
    /// Parses a JWK Set (<c>{"keys":[…]}</c>) or a single JWK object, as jwx's <c>jwk.Parse</c> does: one bad key fails
    /// the whole set (<c>SET CLUSTER SETTING</c> then answers <c>JWT authentication JWKS not a valid JWKS</c>).
    /// </summary>
    /// <param name="json">The JWKS text.</param>
    /// <param name="set">The parsed set.</param>
    /// <param name="error">jwx's reason when the text does not parse; empty otherwise.</param>
    /// <returns>Whether the text parsed.</returns>
    public static bool TryParse(string? json, [NotNullWhen(true)] out CockroachJsonWebKeySet? set, out string error)
    {
        set = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "failed to unmarshal JSON into key set: empty input";
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "failed to unmarshal JSON into key set: not a JSON object";
                return false;
            }

            var keys = new List<CockroachJsonWebKey>();
            if (root.TryGetProperty("keys", out var array))
            {
                if (array.ValueKind != JsonValueKind.Array)
                {
                    error = "failed to unmarshal JSON into key set: \"keys\" is not an array";
                    return false;
                }

                foreach (var item in array.EnumerateArray())
                {
                    if (!CockroachJsonWebKey.TryParse(item, out var key, out error))
                    {
                        return false;
                    }

                    keys.Add(key!);
                }
            }
            else
            {
                if (!CockroachJsonWebKey.TryParse(root, out var key, out error))
                {
                    return false;
                }

                keys.Add(key!);
            }

            set = new CockroachJsonWebKeySet(keys);
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = "failed to unmarshal JSON into key set: " + ex.Message;
            return false;
        }
    }

    /// <summary>Returns the key the cluster would select for a token's <c>kid</c>: the first key with that kid, or <see langword="null"/>.</summary>
    /// <param name="keyId">The token header's <c>kid</c>.</param>
    /// <returns>The key, or <see langword="null"/> when no key has that kid.</returns>
    public CockroachJsonWebKey? Find(string? keyId)
        => string.IsNullOrEmpty(keyId) ? null : Keys.FirstOrDefault(k => k.KeyId == keyId);

    /// <summary>Verifies a compact JWS's signature as the cluster does (time claims are not checked here).</summary>
    /// <param name="compactToken">The token (<c>header.payload.signature</c>).</param>
    /// <param name="error">
    /// jwx's error text on failure, without the <c>unable to parse token: </c> prefix, for example
    /// <c>key provider 0 failed: failed to find key with key ID "k" in key set</c>. Contains no token material.
    /// </param>
    /// <returns>Whether the signature verifies with the selected key.</returns>
    public bool TryVerify(string compactToken, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(compactToken);
        var parts = compactToken.Split('.');
        if (parts.Length != 3 || !TryReadHeader(parts[0], out var headerAlg, out var kid))
        {
            error = "failed to parse jws: invalid compact serialization format";
            return false;
        }

        if (string.IsNullOrEmpty(kid))
        {
            error = "key provider 0 failed: failed to find matching key: no key ID (\"kid\") specified in token";
            return false;
        }

        var key = Find(kid);
        if (key is null)
        {
            error = $"key provider 0 failed: failed to find key with key ID {GoText.Quote(kid)} in key set";
            return false;
        }

        // jwx looks the kid up first and only then drops a key whose "use" is not "sig": no key is left to verify with.
        if (!string.IsNullOrEmpty(key.Use) && key.Use != "sig")
        {
            error = CouldNotVerify;
            return false;
        }

        var algorithm = key.Algorithm;
        if (string.IsNullOrEmpty(algorithm))
        {
            if (headerAlg is null || !key.InferredAlgorithms.Contains(headerAlg))
            {
                error = "key provider 0 failed: algorithm in the message does not match any of the inferred algorithms";
                return false;
            }

            algorithm = headerAlg;
        }

        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            error = "failed to parse jws: failed to decode signature";
            return false;
        }

        var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!key.Verify(algorithm, signingInput, signature))
        {
            error = CouldNotVerify;
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryReadHeader(string part, out string? alg, out string? kid)
    {
        alg = null;
        kid = null;
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(part));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            alg = JwkFields.Read(doc.RootElement, "alg");
            kid = JwkFields.Read(doc.RootElement, "kid");
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
}
