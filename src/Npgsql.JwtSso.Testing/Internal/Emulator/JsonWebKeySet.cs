using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Npgsql.JwtSso.Internal;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// A JWK Set with the key selection and verification rules of lestrrat-go/jwx v2 as CockroachDB calls it:
/// mandatory <c>kid</c>, only the first key with the kid tried (and dropped when its <c>use</c> is not <c>sig</c>), the
/// key's <c>alg</c> winning over the header's, and algorithm inference by key type when the key has none.
/// </summary>
internal sealed class JsonWebKeySet
{
    internal static readonly JsonWebKeySet Empty = new([]);
    private const string CouldNotVerify = "could not verify message using any of the signatures or keys";

    private JsonWebKeySet(IReadOnlyList<JsonWebKey> keys) => Keys = keys;

    internal IReadOnlyList<JsonWebKey> Keys { get; }

    /// <summary>Parses a JWK Set (<c>{"keys":[…]}</c>) or a single JWK object, as <c>jwk.Parse</c> does; one bad key fails the whole set.</summary>
    internal static bool TryParse(string? json, [NotNullWhen(true)] out JsonWebKeySet? set, out string error)
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

            var keys = new List<JsonWebKey>();
            if (root.TryGetProperty("keys", out var array))
            {
                if (array.ValueKind != JsonValueKind.Array)
                {
                    error = "failed to unmarshal JSON into key set: \"keys\" is not an array";
                    return false;
                }

                foreach (var item in array.EnumerateArray())
                {
                    if (!JsonWebKey.TryParse(item, out var key, out error))
                    {
                        return false;
                    }

                    keys.Add(key!);
                }
            }
            else
            {
                if (!JsonWebKey.TryParse(root, out var key, out error))
                {
                    return false;
                }

                keys.Add(key!);
            }

            set = new JsonWebKeySet(keys);
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            error = "failed to unmarshal JSON into key set: " + ex.Message;
            return false;
        }
    }

    /// <summary>Verifies the token's signature; on failure returns jwx's error text (without the "unable to parse token: " prefix).</summary>
    internal bool TryVerify(string compact, [NotNullWhen(false)] out string? error)
    {
        var parts = compact.Split('.');
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

        var key = Keys.FirstOrDefault(k => k.KeyId == kid);
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

            alg = doc.RootElement.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            kid = doc.RootElement.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
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
