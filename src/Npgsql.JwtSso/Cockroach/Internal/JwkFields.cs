using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Npgsql.JwtSso.Internal;

/// <summary>Reads JWK members: string fields, and base64url key material with jwx's error wording.</summary>
internal static class JwkFields
{
    public static string? Read(JsonElement element, string name)
        => element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static byte[] Decode(JsonElement element, string name)
    {
        var text = Read(element, name);
        if (string.IsNullOrEmpty(text))
        {
            throw new FormatException($"required field {name} is missing");
        }

        try
        {
            return Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            throw new FormatException($"field {name} is not base64url: {Encoding.ASCII.GetByteCount(text)} bytes");
        }
    }
}
