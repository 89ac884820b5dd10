using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Npgsql.JwtSso.Testing.Internal;

/// <summary>
/// Writes the issuer's JSON objects (response bodies, JWT headers and claims) without reflection, so the testing kit
/// works trimmed and under native AOT. Claim values are what a JWT holds: strings, numbers, booleans, arrays, objects
/// (dictionaries), <see cref="JsonElement"/> or <see cref="JsonNode"/>.
/// </summary>
internal static class JsonObjectWriter
{
    public static byte[] ToUtf8Bytes(IEnumerable<KeyValuePair<string, object?>> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteObject(writer, properties.Select(p => (p.Key, p.Value)));
        }

        return buffer.ToArray();
    }

    public static string ToJson(IEnumerable<KeyValuePair<string, object?>> properties) => System.Text.Encoding.UTF8.GetString(ToUtf8Bytes(properties));

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<(string Key, object? Value)> properties)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in properties)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case Enum e: writer.WriteNumberValue(Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture)); break;
            case byte or sbyte or short or ushort or int or uint or long: writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case float f: writer.WriteNumberValue(f); break;
            case double d: writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case DateTimeOffset t: writer.WriteStringValue(t); break;
            case DateTime t: writer.WriteStringValue(t); break;
            case Guid g: writer.WriteStringValue(g); break;
            case Uri u: writer.WriteStringValue(u.OriginalString); break;
            case JsonElement element: element.WriteTo(writer); break;
            case JsonNode node: node.WriteTo(writer); break;
            case IEnumerable<KeyValuePair<string, object?>> map: WriteObject(writer, map.Select(p => (p.Key, p.Value))); break;
            case IDictionary map: WriteObject(writer, map.Cast<DictionaryEntry>().Select(p => (Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, p.Value))); break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"A JSON value of type {value.GetType().Name} cannot be written by Npgsql.JwtSso.Testing; use a string, number, boolean, array, dictionary, JsonElement or JsonNode.");
        }
    }
}
