using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>
/// The error text of lestrrat-go/jwx v2.0.21's <c>jwt.ParseInsecure</c> (CockroachDB's step 1, shown to the client after
/// <c>token parsing failed: </c>) for the failures a client can produce, composed from jwx's own wrappers
/// (jwt/jwt.go <c>parse</c>, jws/jws.go <c>parse</c>, jwt/token_gen.go <c>UnmarshalJSON</c>, internal/base64,
/// jwt/internal/types) and the Go standard-library messages they wrap (encoding/base64, encoding/json, time).
/// Returns <see langword="null"/> when jwx would parse the token. JSON syntax errors other than a bad first character
/// or truncated input fall back to <c>invalid character …</c> without Go's exact context words.
/// </summary>
internal static class JwxInsecureParse
{
    public static string? Error(string token)
    {
        var data = token.Trim();
        if (data.Length == 0 || data[0] == '{')
        {
            return null; // JSON serialisation: not something a pgwire client sends; left to the regular parser.
        }

        var dots = data.Count(c => c == '.');
        if (dots == 4)
        {
            return "unsupported format (layer: #1)";
        }

        if (dots != 2)
        {
            return "invalid JWT";
        }

        var parts = data.Split('.');
        if (Base64Error(parts[0]) is { } headerB64)
        {
            return "invalid jws message: failed to decode protected headers: " + headerB64;
        }

        var header = Decode(parts[0]);
        if (JsonSyntaxError(header) is { } headerJson)
        {
            return "invalid jws message: failed to parse JOSE headers: " + headerJson;
        }

        if (!IsObject(header, out var headerKind))
        {
            return $"invalid jws message: failed to parse JOSE headers: expected '{{', but got '{headerKind}'";
        }

        if (Base64Error(parts[1]) is { } payloadB64)
        {
            return "invalid jws message: failed to decode payload: " + payloadB64;
        }

        if (Base64Error(parts[2]) is { } signatureB64)
        {
            return "invalid jws message: failed to decode signature: " + signatureB64;
        }

        var payload = Decode(parts[1]);
        if (JsonSyntaxError(payload) is { } payloadJson)
        {
            return "failed to parse token: " + payloadJson;
        }

        if (!IsObject(payload, out var payloadKind))
        {
            return $"failed to parse token: expected '{{', but got '{payloadKind}'";
        }

        using var doc = JsonDocument.Parse(payload);
        foreach (var claim in doc.RootElement.EnumerateObject())
        {
            var error = claim.Name switch
            {
                "aud" => AudienceError(claim.Value),
                "exp" or "iat" or "nbf" => NumericDateError(claim.Value),
                "iss" or "sub" or "jti" => claim.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null
                    ? null
                    : $"error reading next value: json: cannot unmarshal {GoJsonKind(claim.Value)} into Go value of type string",
                _ => null,
            };
            if (error is not null)
            {
                return $"failed to parse token: failed to decode value for key {claim.Name}: {error}";
            }
        }

        return null;
    }

    private static string? AudienceError(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => null,
        JsonValueKind.Array => value.EnumerateArray().FirstOrDefault(e => e.ValueKind != JsonValueKind.String) is { ValueKind: not JsonValueKind.Undefined } bad
            ? "invalid list element type " + GoInterfaceType(bad)
            : null,
        _ => "invalid type: " + GoInterfaceType(value),
    };

    private static string? NumericDateError(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return null;
            case JsonValueKind.String:
                {
                    var s = value.GetString()!;
                    if (s.All(c => c is >= '0' and <= '9' or '.'))
                    {
                        return null; // jwx accepts a numeric string (and parses it as seconds)
                    }

                    if (DateTimeOffset.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFFFK"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
                    {
                        return null; // RFC 3339 escape hatch
                    }

                    if (s.Length >= 4 && s.Take(4).All(char.IsAsciiDigit))
                    {
                        return null; // a date-shaped string failing later in time.Parse: not reproduced, left to the regular parser
                    }

                    return $"invalid value for NumericDate: failed to accept string {GoQuote(s)}: value is not number of seconds since the epoch, "
                        + $"and attempt to parse it as RFC3339 timestamp failed: parsing time {GoQuote(s)} as \"2006-01-02T15:04:05Z07:00\": cannot parse {GoQuote(s)} as \"2006\"";
                }

            default:
                return "invalid value for NumericDate: invalid type " + GoInterfaceType(value);
        }
    }

    // Go's %T of what encoding/json puts in an interface{}.
    private static string GoInterfaceType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "float64",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "<nil>",
        JsonValueKind.Array => "[]interface {}",
        _ => "map[string]interface {}",
    };

    private static string GoJsonKind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        _ => "object",
    };

    private static bool IsObject(byte[] json, out char kind)
    {
        var first = Encoding.UTF8.GetString(json).TrimStart(' ', '\t', '\r', '\n');
        kind = first.Length > 0 ? first[0] : '?';
        return kind == '{';
    }

    // jwx's internal/base64: the alphabet and padding are guessed ('=' at the end → padded, '+' or '/' → standard).
    private static string? Base64Error(string part)
    {
        var bytes = Encoding.UTF8.GetBytes(part);
        var padded = part.EndsWith('=');
        var standard = part.Contains('+', StringComparison.Ordinal) || part.Contains('/', StringComparison.Ordinal);
        var body = padded ? part.TrimEnd('=') : part;
        var offset = 0;
        foreach (var c in body)
        {
            var valid = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' || (standard ? c is '+' or '/' : c is '-' or '_');
            if (!valid && c is not '\r' and not '\n')
            {
                return $"failed to decode source: illegal base64 data at input byte {offset}";
            }

            offset += Encoding.UTF8.GetByteCount(c.ToString());
        }

        if (!padded && bytes.Length % 4 == 1)
        {
            return $"failed to decode source: illegal base64 data at input byte {bytes.Length - 1}";
        }

        if (padded && bytes.Length % 4 != 0)
        {
            return $"failed to decode source: illegal base64 data at input byte {bytes.Length}";
        }

        return null;
    }

    private static byte[] Decode(string part)
    {
        var s = part.TrimEnd('=').Replace('+', '-').Replace('/', '_').Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        return System.Buffers.Text.Base64Url.DecodeFromChars(s);
    }

    // encoding/json Decoder.Decode's error for a document that is not valid JSON (null when it is).
    private static string? JsonSyntaxError(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
            {
                return "EOF";
            }

            reader.Skip();
            return null;
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(json).TrimStart(' ', '\t', '\r', '\n');
            if (text.Length == 0)
            {
                return "EOF";
            }

            var first = text[0];
            if (first is not ('{' or '[' or '"' or '-' or (>= '0' and <= '9') or 't' or 'f' or 'n'))
            {
                return $"invalid character {GoQuoteChar(first)} looking for beginning of value";
            }

            var offset = (int)reader.BytesConsumed;
            return offset >= json.Length - 1 ? "unexpected EOF" : $"invalid character {GoQuoteChar((char)json[Math.Min(offset, json.Length - 1)])}";
        }
    }

    private static string GoQuote(string s) => CockroachMessageText.Quote(s);

    // encoding/json's quoteChar.
    private static string GoQuoteChar(char c) => c switch
    {
        '\'' => @"'\''",
        '"' => "'\"'",
        _ => "'" + GoQuote(c.ToString())[1..^1] + "'",
    };
}
