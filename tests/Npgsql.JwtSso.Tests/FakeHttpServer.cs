using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Npgsql.JwtSso.Tests;

/// <summary>A minimal HTTP server on 127.0.0.1 whose responses a test scripts; records every request.</summary>
internal sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _requestReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    public FakeHttpServer()
    {
        // Find a free port, then listen on it (a race with other processes is possible but harmless: retried).
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseUrl = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(BaseUrl + "/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _ = Task.Run(AcceptLoopAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Gets or sets how requests are answered: status, body and extra headers; <see langword="null"/> never answers.</summary>
    public Func<HttpListenerRequest, Response?> Respond { get; set; } = _ => new Response(404, "{}");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Gets a task that completes when the first request has arrived.</summary>
    public Task RequestReceived => _requestReceived.Task;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, request.Url!.PathAndQuery, request.Headers["Authorization"]));
        _requestReceived.TrySetResult();
        var response = Respond(request);
        if (response is null)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        try
        {
            context.Response.StatusCode = response!.Status;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away.
        }
    }

    internal sealed record Response(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

    internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization);
}
