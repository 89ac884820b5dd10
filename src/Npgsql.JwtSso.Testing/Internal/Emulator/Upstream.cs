using System.Net.Sockets;

namespace Npgsql.JwtSso.Testing.Internal.Emulator;

/// <summary>The PostgreSQL side of a session: the rewritten StartupMessage and the byte-for-byte splice.</summary>
internal static class Upstream
{
    /// <summary>The StartupMessage for PostgreSQL: the resolved user, CockroachDB-only options removed, everything else kept.</summary>
    internal static List<KeyValuePair<string, string>> StartupParameters(List<KeyValuePair<string, string>> parameters, string user)
    {
        var result = new List<KeyValuePair<string, string>> { new("user", user) };
        foreach (var (key, value) in parameters)
        {
            if (key == "user")
            {
                continue;
            }

            if (key == "options")
            {
                var kept = CockroachStartupOptions.TryParse(value, out var options, out _)
                    ? options.Where(o => !o.Key.StartsWith("crdb:", StringComparison.Ordinal) && o.Key != "cluster")
                        .Select(o => "-c " + Escape(o.Key) + "=" + Escape(o.Value)).ToList()
                    : [];
                if (kept.Count > 0)
                {
                    result.Add(new(key, string.Join(' ', kept)));
                }

                continue;
            }

            result.Add(new(key, value));
        }

        return result;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);

    /// <summary>Sends the StartupMessage, then relays both ways (PostgreSQL's AuthenticationOk first) until either side closes.</summary>
    internal static async Task SpliceAsync(Stream client, string host, int port, byte[] startup, Action onConnected, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient { NoDelay = true };
        await upstream.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        var server = upstream.GetStream();
        await server.WriteAsync(startup, cancellationToken).ConfigureAwait(false);
        onConnected();

        using var spliceEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toServer = client.CopyToAsync(server, spliceEnd.Token);
        var toClient = server.CopyToAsync(client, spliceEnd.Token);
        await Task.WhenAny(toServer, toClient).ConfigureAwait(false);
        await spliceEnd.CancelAsync().ConfigureAwait(false);
        upstream.Close();
        try
        {
            await Task.WhenAll(toServer, toClient).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // One side closed; the other copy ends with an error by design.
        }
    }

    /// <summary>Opens a connection, writes one packet (a CancelRequest) and closes.</summary>
    internal static async Task SendOnceAsync(string host, int port, byte[] packet, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient();
        await upstream.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        await upstream.GetStream().WriteAsync(packet, cancellationToken).ConfigureAwait(false);
    }
}
