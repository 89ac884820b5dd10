using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Npgsql.JwtSso.Tests.NpgsqlWiring;

/// <summary>What the fake server answers to one PasswordMessage.</summary>
internal sealed record FakeReply(string? SqlState = null, string? Message = null, string? Detail = null)
{
    public static FakeReply Ok { get; } = new();
}

/// <summary>One login seen by the fake server.</summary>
internal sealed record FakeLogin(IReadOnlyDictionary<string, string> Startup, string? Password);

/// <summary>
/// Just enough pgwire on 127.0.0.1 to stand in for CockroachDB's JWT login: answers SSLRequest/GSSENCRequest with 'N',
/// records the StartupMessage, asks for a cleartext password, records it and answers with success or an ErrorResponse.
/// Npgsql must run with <c>Server Compatibility Mode=NoTypeLoading</c> (no catalog queries are answered).
/// </summary>
internal sealed class FakeCrdbServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<FakeLogin> _logins = new();
    private readonly List<Task> _tasks = [];
    private readonly Func<string?, FakeReply> _reply;
    private readonly Task _acceptLoop;
    private readonly X509Certificate2? _certificate;

    /// <param name="reply">The answer to each password; default success.</param>
    /// <param name="certificate">When given, SSLRequest is answered 'S' and TLS is done with this certificate.</param>
    public FakeCrdbServer(Func<string?, FakeReply>? reply = null, X509Certificate2? certificate = null)
    {
        _reply = reply ?? (_ => FakeReply.Ok);
        _certificate = certificate;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<FakeLogin> Logins => [.. _logins];

    public string ConnectionString(string extra = "")
        => $"Host=127.0.0.1;Port={Port};Database=defaultdb;SSL Mode=Disable;Server Compatibility Mode=NoTypeLoading;Timeout=30;Command Timeout=30{(extra.Length > 0 ? ";" + extra : string.Empty)}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_tasks)
            {
                _tasks.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        try
        {
            (var startup, stream) = await ReadStartupAsync(stream);
            if (startup is null)
            {
                return;
            }

            await stream.WriteAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 3 }, _stop.Token);
            var password = await ReadPasswordAsync(stream);
            _logins.Enqueue(new FakeLogin(startup, password));
            var reply = _reply(password);
            if (reply.SqlState is not null)
            {
                await stream.WriteAsync(ErrorResponse(reply), _stop.Token);
                return;
            }

            await stream.WriteAsync(Success(), _stop.Token);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, _stop.Token) > 0)
            {
                // Drain until the client terminates; tests send no queries.
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or EndOfStreamException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    public bool SawTls { get; private set; }

    private async Task<(Dictionary<string, string>? Startup, Stream Stream)> ReadStartupAsync(Stream stream)
    {
        while (true)
        {
            var header = new byte[8];
            await stream.ReadExactlyAsync(header, _stop.Token);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            var code = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
            var body = new byte[length - 8];
            await stream.ReadExactlyAsync(body, _stop.Token);
            switch (code)
            {
                case 80877103 when _certificate is not null: // SSLRequest
                    await stream.WriteAsync("S"u8.ToArray(), _stop.Token);
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    SawTls = true;
                    stream = tls;
                    continue;
                case 80877103 or 80877104: // SSLRequest, GSSENCRequest
                    await stream.WriteAsync("N"u8.ToArray(), _stop.Token);
                    continue;
                case 196608:
                    var parts = Encoding.UTF8.GetString(body).Split('\0');
                    var result = new Dictionary<string, string>();
                    for (var i = 0; i + 1 < parts.Length && parts[i].Length > 0; i += 2)
                    {
                        result[parts[i]] = parts[i + 1];
                    }

                    return (result, stream);
                default:
                    return (null, stream);
            }
        }
    }

    private async Task<string?> ReadPasswordAsync(Stream stream)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, _stop.Token);
        if (header[0] != (byte)'p')
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return body.Length > 0 && body[^1] == 0 ? Encoding.UTF8.GetString(body, 0, body.Length - 1) : "<not NUL-terminated>";
    }

    private static byte[] ErrorResponse(FakeReply reply)
    {
        var fields = new MemoryStream();
        void Field(char type, string value)
        {
            fields.WriteByte((byte)type);
            fields.Write(Encoding.UTF8.GetBytes(value));
            fields.WriteByte(0);
        }

        Field('S', "FATAL");
        Field('V', "FATAL");
        Field('C', reply.SqlState!);
        Field('M', reply.Message ?? string.Empty);
        if (reply.Detail is not null)
        {
            Field('D', reply.Detail);
        }

        fields.WriteByte(0);
        return Message('E', fields.ToArray());
    }

    private static byte[] Success()
    {
        var all = new MemoryStream();
        all.Write(Message('R', [0, 0, 0, 0]));
        foreach (var (k, v) in new[] { ("server_version", "13.0.0"), ("server_encoding", "UTF8"), ("client_encoding", "UTF8"), ("DateStyle", "ISO, MDY"), ("integer_datetimes", "on"), ("standard_conforming_strings", "on"), ("TimeZone", "UTC") })
        {
            all.Write(Message('S', Encoding.UTF8.GetBytes(k + "\0" + v + "\0")));
        }

        all.Write(Message('K', [0, 0, 0, 42, 0, 0, 0, 7]));
        all.Write(Message('Z', [(byte)'I']));
        return all.ToArray();
    }

    private static byte[] Message(char type, byte[] body)
    {
        var message = new byte[5 + body.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), body.Length + 4);
        body.CopyTo(message, 5);
        return message;
    }
}
