using System.Buffers.Binary;
using System.Text;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>The few PostgreSQL v3 wire messages the emulator reads and writes before it splices the connection.</summary>
internal static class PgWire
{
    // The protocol writes the special request codes as a fake version 1234.5678..5680 and version 3.0 as major << 16 | minor.
    internal const int SslRequestCode = (1234 << 16) | 5679;
    internal const int GssEncRequestCode = (1234 << 16) | 5680;
    internal const int CancelRequestCode = (1234 << 16) | 5678;
    internal const int ProtocolVersion3 = 3 << 16;
    internal const int MaxStartupLength = 10_000;
    internal const int MaxPasswordLength = 1 << 20;

    /// <summary>Reads a length-prefixed startup-phase packet (no type byte); returns the whole packet including the length, or null at EOF.</summary>
    internal static async Task<byte[]?> ReadStartupPacketAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await TryReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 8 or > MaxStartupLength)
        {
            return null;
        }

        var packet = new byte[length];
        header.CopyTo(packet, 0);
        return await TryReadExactlyAsync(stream, packet.AsMemory(4), cancellationToken).ConfigureAwait(false) ? packet : null;
    }

    internal static int ReadCode(byte[] packet) => BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(4));

    /// <summary>Parses the key/value pairs of a v3 StartupMessage, in order.</summary>
    internal static List<KeyValuePair<string, string>> ParseStartupParameters(byte[] packet)
    {
        var result = new List<KeyValuePair<string, string>>();
        var span = packet.AsSpan(8);
        while (span.Length > 0 && span[0] != 0)
        {
            var key = ReadCString(ref span);
            var value = ReadCString(ref span);
            result.Add(new(key, value));
        }

        return result;
    }

    internal static byte[] BuildStartupMessage(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        using var body = new MemoryStream();
        Span<byte> int32 = stackalloc byte[4];
        body.Write(int32); // length placeholder
        BinaryPrimitives.WriteInt32BigEndian(int32, ProtocolVersion3);
        body.Write(int32);
        foreach (var (key, value) in parameters)
        {
            WriteCString(body, key);
            WriteCString(body, value);
        }

        body.WriteByte(0);
        var bytes = body.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, bytes.Length);
        return bytes;
    }

    internal static byte[] AuthenticationCleartextPassword() => [(byte)'R', 0, 0, 0, 8, 0, 0, 0, 3];

    /// <summary>Builds an ErrorResponse with severity ERROR (as CockroachDB sends), SQLSTATE, message and optional DETAIL.</summary>
    internal static byte[] ErrorResponse(string sqlState, string message, string? detail)
    {
        using var body = new MemoryStream();
        body.WriteByte((byte)'E');
        body.Write([0, 0, 0, 0]);
        WriteField(body, 'S', "ERROR");
        WriteField(body, 'V', "ERROR");
        WriteField(body, 'C', sqlState);
        WriteField(body, 'M', message);
        if (detail is not null)
        {
            WriteField(body, 'D', detail);
        }

        body.WriteByte(0);
        var bytes = body.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), bytes.Length - 1);
        return bytes;
    }

    /// <summary>Reads one typed message (type byte + int32 length + body); null at EOF or when it is too long.</summary>
    internal static async Task<(byte Type, byte[] Body)?> ReadMessageAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[5];
        if (!await TryReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (length is < 4 or > MaxPasswordLength)
        {
            return null;
        }

        var body = new byte[length - 4];
        return await TryReadExactlyAsync(stream, body, cancellationToken).ConfigureAwait(false) ? (header[0], body) : null;
    }

    private static void WriteField(MemoryStream body, char code, string value)
    {
        body.WriteByte((byte)code);
        WriteCString(body, value);
    }

    private static void WriteCString(MemoryStream body, string value)
    {
        body.Write(Encoding.UTF8.GetBytes(value));
        body.WriteByte(0);
    }

    private static string ReadCString(ref Span<byte> span)
    {
        var end = span.IndexOf((byte)0);
        if (end < 0)
        {
            end = span.Length;
        }

        var text = Encoding.UTF8.GetString(span[..end]);
        span = span[Math.Min(end + 1, span.Length)..];
        return text;
    }

    private static async Task<bool> TryReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
