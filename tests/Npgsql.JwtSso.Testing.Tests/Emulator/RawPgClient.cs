using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Npgsql.JwtSso.Testing.Tests.Emulator;

/// <summary>A minimal plaintext PG-wire client, to assert message order and payloads Npgsql hides.</summary>
internal sealed class RawPgClient : IAsyncDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;

    public static async Task<RawPgClient> ConnectAsync(int port)
    {
        var client = new RawPgClient();
        await client._tcp.ConnectAsync("127.0.0.1", port);
        client._stream = client._tcp.GetStream();
        return client;
    }

    public Task SendStartupAsync(params (string Key, string Value)[] parameters)
    {
        var body = new List<byte>();
        body.AddRange(Int32(196608));
        foreach (var (key, value) in parameters)
        {
            body.AddRange(Encoding.UTF8.GetBytes(key + "\0" + value + "\0"));
        }

        body.Add(0);
        return SendAsync([.. Int32(body.Count + 4), .. body]);
    }

    public Task SendRequestCodeAsync(int code) => SendAsync([.. Int32(8), .. Int32(code)]);

    public Task SendPasswordAsync(byte[] payload) => SendAsync([(byte)'p', .. Int32(payload.Length + 4), .. payload]);

    public async Task<byte> ReadByteAsync()
    {
        var buffer = new byte[1];
        await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(HangGuard);
        return buffer[0];
    }

    public async Task<(char Type, byte[] Body)> ReadMessageAsync()
    {
        var header = new byte[5];
        await _stream.ReadExactlyAsync(header).AsTask().WaitAsync(HangGuard);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
        await _stream.ReadExactlyAsync(body).AsTask().WaitAsync(HangGuard);
        return ((char)header[0], body);
    }

    /// <summary>Reads the fields of an ErrorResponse body keyed by field code (S, C, M, D…).</summary>
    public static Dictionary<char, string> ErrorFields(byte[] body)
    {
        var fields = new Dictionary<char, string>();
        var i = 0;
        while (i < body.Length && body[i] != 0)
        {
            var code = (char)body[i++];
            var end = Array.IndexOf(body, (byte)0, i);
            fields[code] = Encoding.UTF8.GetString(body, i, end - i);
            i = end + 1;
        }

        return fields;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }
}
