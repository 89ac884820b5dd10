using System.Net;
using System.Text;

namespace Npgsql.JwtSso.OAuth.Tests.Support;

/// <summary>Answers requests from a per-path table and records what was sent (method, path, headers, form body).</summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Dictionary<string, Func<RecordedRequest, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);

    public List<RecordedRequest> Requests { get; } = [];

    public Exception? Throw { get; set; }

    /// <summary>When set, requests wait until cancelled; the source completes once one is waiting.</summary>
    public TaskCompletionSource? Hang { get; set; }

    public StubHttpHandler On(string path, Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _routes[path] = respond;
        return this;
    }

    public StubHttpHandler OnJson(string path, HttpStatusCode status, string json, Action<HttpResponseMessage>? headers = null)
        => On(path, _ =>
        {
            var response = Json(status, json);
            headers?.Invoke(response);
            return response;
        });

    public static HttpResponseMessage Json(HttpStatusCode status, string json)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public int Count(string path) => Requests.Count(r => r.Path == path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(), body);
        Requests.Add(recorded);
        if (Hang is not null)
        {
            Hang.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Throw is not null)
        {
            throw Throw;
        }

        return _routes.TryGetValue(recorded.Path, out var respond)
            ? respond(recorded)
            : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("not found") };
    }
}

internal sealed record RecordedRequest(string Method, string Path, string? Authorization, string Body)
{
    public Dictionary<string, string> Form => Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2))
        .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);
}
