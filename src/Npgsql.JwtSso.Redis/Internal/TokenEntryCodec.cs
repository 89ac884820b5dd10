using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Npgsql.JwtSso.Redis.Internal;

/// <summary>
/// The bytes stored in Redis: one marker byte (encrypted or plain), then the JSON <c>{"t": token, "f": fetched-at ms,
/// "r": refresh hint ms}</c>, protected with Data Protection unless encryption was explicitly turned off.
/// </summary>
internal sealed class TokenEntryCodec(IDataProtector? protector)
{
    private const byte Encrypted = (byte)'E';
    private const byte Plain = (byte)'P';

    public bool Encrypts => protector is not null;

    public byte[] Encode(JwtToken token, DateTimeOffset fetchedAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("t", token.Value);
            json.WriteNumber("f", fetchedAt.ToUnixTimeMilliseconds());
            if (token.RefreshOn is { } hint)
            {
                json.WriteNumber("r", hint.ToUnixTimeMilliseconds());
            }

            json.WriteEndObject();
        }

        var payload = buffer.ToArray();
        var body = protector is null ? payload : protector.Protect(payload);
        CryptographicOperations.ZeroMemory(payload);
        var entry = new byte[body.Length + 1];
        entry[0] = protector is null ? Plain : Encrypted;
        body.CopyTo(entry, 1);
        return entry;
    }

    /// <summary>Decodes an entry; on failure <paramref name="reason"/> says why in words that never include the token.</summary>
    public bool TryDecode(byte[] entry, out string token, out DateTimeOffset fetchedAt, out DateTimeOffset? refreshOn, out string reason)
    {
        token = string.Empty;
        fetchedAt = default;
        refreshOn = null;
        if (entry.Length < 2 || entry[0] is not (Encrypted or Plain))
        {
            reason = "unknown entry format";
            return false;
        }

        if (entry[0] == Plain && protector is not null)
        {
            reason = "the entry is unencrypted but this instance requires encryption (another instance runs with AllowUnencryptedTokens)";
            return false;
        }

        if (entry[0] == Encrypted && protector is null)
        {
            reason = "the entry is encrypted but this instance runs with AllowUnencryptedTokens and no Data Protection";
            return false;
        }

        byte[] payload;
        try
        {
            payload = protector is null ? entry[1..] : protector.Unprotect(entry[1..]);
        }
        catch (CryptographicException)
        {
            reason = "the entry cannot be decrypted: every instance must share the Data Protection key ring and application name";
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("t", out var t) || t.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("f", out var f) || !f.TryGetInt64(out var fetchedMs))
            {
                reason = "the entry is not a token entry";
                return false;
            }

            token = t.GetString()!;
            fetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(fetchedMs);
            if (root.TryGetProperty("r", out var r) && r.TryGetInt64(out var hintMs))
            {
                refreshOn = DateTimeOffset.FromUnixTimeMilliseconds(hintMs);
            }

            reason = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
        {
            reason = "the entry is not a token entry";
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }
}
